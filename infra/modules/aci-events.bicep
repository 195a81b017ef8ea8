// The ACI resource group's ARM events (a resource-group system topic): a write of a container group that
// completed or failed lets aciEvents refresh that one pod at once instead of at the next reconcile.
// (aciEvents leaves deletions to reconcile, but reads the delete events it gets: shared/controller/aci-events.ts.)
// Azure allows one system topic per source: when the resource group has one already (under any name,
// found by install or azd's postdeploy hook), it is used, never created again. The subscription is named
// after the connector, so connectors sharing the resource group keep their own.
param functionResourceId string
@description('The connector name: names its event subscription.')
param connectorName string
@description('The resource group\'s system topic when it exists already, or empty to create one.')
param existingSystemTopicName string = ''

var systemTopicName = empty(existingSystemTopicName) ? 'aci-connector-${uniqueString(resourceGroup().id)}' : existingSystemTopicName

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (empty(existingSystemTopicName)) {
  name: systemTopicName
  location: 'global'
  properties: { source: resourceGroup().id, topicType: 'Microsoft.Resources.ResourceGroups' }
}

resource toFunction 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  name: '${systemTopicName}/aci-events-${connectorName}'
  dependsOn: [ systemTopic ]
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: { endpointType: 'AzureFunction', properties: { resourceId: functionResourceId, maxEventsPerBatch: 1 } }
    filter: {
      includedEventTypes: [ 'Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.Resources.ResourceWriteFailure', 'Microsoft.Resources.ResourceDeleteSuccess' ]
      advancedFilters: [ { operatorType: 'StringIn', key: 'data.operationName', values: [ 'Microsoft.ContainerInstance/containerGroups/write', 'Microsoft.ContainerInstance/containerGroups/delete' ] } ]
    }
  }
}
