// The connector's rights over its container groups: Contributor on the ACI resource group only, and
// Monitoring Reader there for their metrics (Azure Monitor's metrics batch API, kubectl top and HPA:
// docs/decisions/resource-metrics.md). Contributor already holds Microsoft.Insights/metrics/read; the
// role is named so that the metrics keep working if Contributor is ever narrowed to a custom role.
param principalId string
@description('A service principal the connector uses for ARM instead (install\'s --service-principal), or empty.')
param servicePrincipalObjectId string = ''

// Contributor: b24988ac-6180-42a0-ab88-20f7382dd24c
resource contributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Contributor: b24988ac-6180-42a0-ab88-20f7382dd24c
resource servicePrincipalContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(servicePrincipalObjectId)) {
  name: guid(resourceGroup().id, servicePrincipalObjectId, 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    principalId: servicePrincipalObjectId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Reader: 43d0d8ad-25c7-4714-9337-8ba259a9fe05
resource monitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
