#!/bin/sh
# azd's preprovision hook. 1) The resource providers ARM does not register by itself for this template,
# as `aci-connector install` registers them. Microsoft.ContainerInstance: the container groups are
# created later by the functions, not by the template. Microsoft.App: Flex Consumption runs on it (its
# VNet integration delegates subnets to Microsoft.App/environments). Each is checked first and
# registered only when it is not. 2) The ACI resource group, created when missing: infra/main.bicep only
# references it, because a group the template declared would be deleted, with whatever else it holds,
# by `azd down` (cli/aci-resource-group.ts does the same for install). Every az call names the
# subscription.
set -eu
: "${AZURE_SUBSCRIPTION_ID:?azd sets it}" "${AZURE_LOCATION:?azd sets it}"
: "${ACI_RESOURCE_GROUP:?set the resource group of the container groups first: azd env set ACI_RESOURCE_GROUP <name>}"

for namespace in Microsoft.ContainerInstance Microsoft.App; do
  state=$(az provider show --namespace "$namespace" --subscription "$AZURE_SUBSCRIPTION_ID" --query registrationState -o tsv)
  if [ "$state" = "Registered" ]; then
    echo "$namespace: Registered"
  else
    echo "$namespace is $state in subscription $AZURE_SUBSCRIPTION_ID: registering it (a minute or two)"
    az provider register --namespace "$namespace" --subscription "$AZURE_SUBSCRIPTION_ID" --wait
  fi
done

if [ "$(az group exists --name "$ACI_RESOURCE_GROUP" --subscription "$AZURE_SUBSCRIPTION_ID")" = "true" ]; then
  echo "container groups go into the existing resource group $ACI_RESOURCE_GROUP (left as it is)"
else
  echo "creating resource group $ACI_RESOURCE_GROUP in $AZURE_LOCATION for the container groups"
  az group create --name "$ACI_RESOURCE_GROUP" --location "$AZURE_LOCATION" --subscription "$AZURE_SUBSCRIPTION_ID" \
    --tags "aci-connector=${ACI_CONNECTOR_NAME:-aci-connector}" -o none
fi
