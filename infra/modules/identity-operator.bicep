// Lets the connector give container groups one user-assigned identity (the pull identity, or one of the
// workload identities' allow-list): ARM checks `Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action`
// on the identity for whoever PUTs a resource that carries it (learn.microsoft.com/azure/active-directory/
// managed-identities-azure-resources/how-manage-user-assigned-managed-identities, "Managed Identity Operator").
// The built-in role holding that action, assigned on this identity alone: the connector may assign no
// other identity, and cannot change this one. docs/decisions/identities.md
@description('The user-assigned identity\'s name (in this resource group).')
param identityName string
@description('The connector\'s managed identity (principal id).')
param principalId string
@description('A service principal the connector uses for ARM instead (install\'s --service-principal), or empty.')
param servicePrincipalObjectId string = ''

resource assigned 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// Managed Identity Operator: f1a07417-d97a-45cb-824c-7a7467783830
resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: assigned
  name: guid(assigned.id, principalId, 'f1a07417-d97a-45cb-824c-7a7467783830')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f1a07417-d97a-45cb-824c-7a7467783830')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Managed Identity Operator: f1a07417-d97a-45cb-824c-7a7467783830
resource servicePrincipalOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(servicePrincipalObjectId)) {
  scope: assigned
  name: guid(assigned.id, servicePrincipalObjectId, 'f1a07417-d97a-45cb-824c-7a7467783830')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f1a07417-d97a-45cb-824c-7a7467783830')
    principalId: servicePrincipalObjectId
    principalType: 'ServicePrincipal'
  }
}
