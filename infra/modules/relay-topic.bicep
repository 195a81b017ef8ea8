// The relay between the webhook and podEvents: a custom topic in the CloudEvents schema, written only
// with Entra ID (local auth off).
param name string
param location string
param tags object
param principalId string

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: { inputSchema: 'CloudEventSchemaV1_0', disableLocalAuth: true, publicNetworkAccess: 'Enabled' }
}

// EventGrid Data Sender: d5a91429-5739-47e2-a06b-3470a27159e7
resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, principalId, 'd5a91429-5739-47e2-a06b-3470a27159e7')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'd5a91429-5739-47e2-a06b-3470a27159e7')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
