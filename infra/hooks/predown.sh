#!/bin/sh
# azd's predown hook. `azd down` deletes the connector's own resource group only; the ACI resource group
# stays (infra/main.bicep references it, never declares it). So, before azd deletes anything: 1) refuse
# while that group holds this connector's container groups (tag AciConnector), which would go on
# running and billing with no connector left to delete them; `aci-connector remove` deletes them with
# their virtual nodes. 2) Delete this connector's subscription to the group's ARM events, which would
# otherwise keep delivering to a deleted function. Every az call names the subscription.
set -eu
: "${AZURE_SUBSCRIPTION_ID:?azd sets it}" "${ACI_RESOURCE_GROUP:?}" "${ACI_CONNECTOR_NAME:?}"

if [ "$(az group exists --name "$ACI_RESOURCE_GROUP" --subscription "$AZURE_SUBSCRIPTION_ID")" != "true" ]; then
  exit 0
fi

groups=$(az container list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACI_RESOURCE_GROUP" \
  --query "[?tags.AciConnector=='$ACI_CONNECTOR_NAME'].name" -o tsv)
if [ -n "$groups" ]; then
  count=$(printf '%s\n' "$groups" | wc -l | tr -d ' ')
  echo "$ACI_RESOURCE_GROUP holds $count container group(s) of connector $ACI_CONNECTOR_NAME, which azd down would leave running and billed:" \
    "run aci-connector remove --connector-name $ACI_CONNECTOR_NAME first (it deletes the virtual nodes, their pods and these groups)," \
    "or, without the cluster, az container delete --subscription $AZURE_SUBSCRIPTION_ID --resource-group $ACI_RESOURCE_GROUP --yes --name <each of:" $groups ">" >&2
  exit 1
fi

topic=$(az eventgrid system-topic list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACI_RESOURCE_GROUP" \
  --query "[?topicType=='Microsoft.Resources.ResourceGroups'].name" -o tsv | head -n 1)
if [ -n "$topic" ]; then
  subscribed=$(az eventgrid system-topic event-subscription list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACI_RESOURCE_GROUP" \
    --system-topic-name "$topic" --query "[?name=='aci-events-$ACI_CONNECTOR_NAME'].name" -o tsv)
  if [ -n "$subscribed" ]; then
    echo "deleting the event subscription aci-events-$ACI_CONNECTOR_NAME of $ACI_RESOURCE_GROUP's system topic $topic"
    az eventgrid system-topic event-subscription delete --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACI_RESOURCE_GROUP" \
      --system-topic-name "$topic" --name "aci-events-$ACI_CONNECTOR_NAME" --yes
  fi
fi
