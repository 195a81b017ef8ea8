// The pull identity may pull from this registry: AcrPull on the registry alone, as AKS's kubelet identity
// is given it (learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi).
@description('The container registry\'s name (in this resource group).')
param registryName string
@description('The pull identity\'s resource id (ACI_PULL_IDENTITY).')
param pullIdentityId string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

// AcrPull: 7f951dda-4ed3-4680-a7ca-43fe172d538d
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, pullIdentityId, '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
    principalId: reference(pullIdentityId, '2023-01-31').principalId
    principalType: 'ServicePrincipal'
  }
}
