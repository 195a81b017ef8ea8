// Event Grid subscriptions, created after the code is deployed (azd postdeploy): the relay topic to
// podEvents, and the ACI resource group's ARM events to aciEvents.
param functionAppName string
param relayTopicName string
param aciResourceGroupName string
@description('The connector name: names its subscription to the ACI resource group\'s events.')
param connectorName string
@description('The ACI resource group\'s Event Grid system topic when one exists already (Azure allows one per source).')
param existingSystemTopicName string = ''

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: relayTopicName
}

resource podEvents 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'pod-events'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: { endpointType: 'AzureFunction', properties: { resourceId: '${app.id}/functions/podEvents', maxEventsPerBatch: 1 } }
    filter: { includedEventTypes: [ 'aci-connector.pod.changed' ] }
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 60 }
  }
}

module aciEvents 'aci-events.bicep' = {
  scope: resourceGroup(aciResourceGroupName)
  name: 'aci-events-${connectorName}'
  params: { functionResourceId: '${app.id}/functions/aciEvents', connectorName: connectorName, existingSystemTopicName: existingSystemTopicName }
}
