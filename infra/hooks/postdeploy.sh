#!/bin/sh
# azd's postdeploy hook: subscribes podEvents to the relay topic and aciEvents to the ACI resource
# group's ARM events (infra/modules/event-subscriptions.bicep), as `aci-connector install` does.
# An Event Grid subscription to a function fails until the Function App lists that function, which lags
# a zip deployment: wait for both, bounded. Every az call names the subscription: az's own default may
# be another one.
set -eu
: "${AZURE_SUBSCRIPTION_ID:?azd sets it}" "${AZURE_RESOURCE_GROUP:?}" "${FUNCTION_APP_NAME:?}" "${RELAY_TOPIC_NAME:?}" "${ACI_RESOURCE_GROUP:?}" "${ACI_CONNECTOR_NAME:?}"

poll="${ACI_CONNECTOR_LIST_POLL_SECONDS:-10}"
attempt=1
while :; do
  names=$(az functionapp function list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "$FUNCTION_APP_NAME" --query "[].name" -o tsv)
  case "$names" in
    */podEvents*) case "$names" in */aciEvents*) break ;; esac ;;
  esac
  if [ "$attempt" -ge 30 ]; then
    echo "$FUNCTION_APP_NAME still does not list podEvents and aciEvents after 30 looks: the package may not have started (its Application Insights shows why); run azd deploy again once it does" >&2
    exit 1
  fi
  echo "waiting for $FUNCTION_APP_NAME to list podEvents and aciEvents ($attempt/30)"
  attempt=$((attempt + 1))
  sleep "$poll"
done

# Azure allows one system topic per source: the ACI resource group's existing one is reused.
topic=$(az eventgrid system-topic list --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$ACI_RESOURCE_GROUP" \
  --query "[?topicType=='Microsoft.Resources.ResourceGroups'].name" -o tsv | head -n 1)

az deployment group create --subscription "$AZURE_SUBSCRIPTION_ID" --resource-group "$AZURE_RESOURCE_GROUP" \
  --template-file infra/modules/event-subscriptions.bicep \
  --parameters functionAppName="$FUNCTION_APP_NAME" relayTopicName="$RELAY_TOPIC_NAME" aciResourceGroupName="$ACI_RESOURCE_GROUP" \
  connectorName="$ACI_CONNECTOR_NAME" existingSystemTopicName="$topic"
