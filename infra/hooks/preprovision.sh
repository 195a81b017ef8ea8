#!/bin/sh
# azd's preprovision hook: the resource providers ARM does not register by itself for this template, as
# `aci-connector install` registers them. Microsoft.ContainerInstance: the container groups are created
# later by the functions, not by the template. Microsoft.App: Flex Consumption runs on it (its VNet
# integration delegates subnets to Microsoft.App/environments). Each is checked first and registered
# only when it is not; every az call names the subscription.
set -eu
: "${AZURE_SUBSCRIPTION_ID:?azd sets it}"

for namespace in Microsoft.ContainerInstance Microsoft.App; do
  state=$(az provider show --namespace "$namespace" --subscription "$AZURE_SUBSCRIPTION_ID" --query registrationState -o tsv)
  if [ "$state" = "Registered" ]; then
    echo "$namespace: Registered"
  else
    echo "$namespace is $state in subscription $AZURE_SUBSCRIPTION_ID: registering it (a minute or two)"
    az provider register --namespace "$namespace" --subscription "$AZURE_SUBSCRIPTION_ID" --wait
  fi
done
