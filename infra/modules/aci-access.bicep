// The connector's rights over its container groups: Contributor on the ACI resource group only.
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
