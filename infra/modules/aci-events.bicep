// The ACI resource group's ARM events (a resource-group system topic): a write of a container group that
// completed or failed lets aciEvents refresh that one pod at once instead of at the next reconcile.
// (aciEvents leaves deletions to reconcile, but reads the delete events it gets: shared/controller/aci-events.ts.)
param functionResourceId string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'aci-connector-${uniqueString(resourceGroup().id)}'
  location: 'global'
  properties: { source: resourceGroup().id, topicType: 'Microsoft.Resources.ResourceGroups' }
}

resource toFunction 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'aci-events'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: { endpointType: 'AzureFunction', properties: { resourceId: functionResourceId, maxEventsPerBatch: 1 } }
    filter: {
      includedEventTypes: [ 'Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.Resources.ResourceWriteFailure', 'Microsoft.Resources.ResourceDeleteSuccess' ]
      advancedFilters: [ { operatorType: 'StringIn', key: 'data.operationName', values: [ 'Microsoft.ContainerInstance/containerGroups/write', 'Microsoft.ContainerInstance/containerGroups/delete' ] } ]
    }
  }
}
