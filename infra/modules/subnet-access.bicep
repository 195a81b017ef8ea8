// VNet mode (aciSubnetId): ARM lets the connector put a container group into a subnet only if it may
// join that subnet (`Microsoft.Network/virtualNetworks/subnets/join/action`); without it every create
// fails with LinkedAuthorizationFailed. The subnet is usually in the AKS virtual network's resource
// group, which Contributor on the ACI resource group does not reach. The built-in role that carries the
// action, Network Contributor, may also change the whole network; this custom role carries the one action
// and is assigned on the subnet alone (least privilege). Deploying it needs the right to create role
// definitions in that resource group (Owner or User Access Administrator there).
// Sources: learn.microsoft.com/azure/role-based-access-control/permissions/networking
// (Microsoft.Network/virtualNetworks/subnets/join/action: "Joins a virtual network"), and the
// LinkedAuthorizationFailed error ARM gives for a missing linked action.
@description('The name of the virtual network holding the subnet.')
param virtualNetworkName string
@description('The subnet the container groups go into.')
param subnetName string
@description('The connector\'s managed identity (principal id).')
param principalId string
@description('A service principal the connector uses for ARM instead (install\'s --service-principal), or empty.')
param servicePrincipalObjectId string = ''
@description('The connector name, so two connectors in one resource group have roles of their own.')
param connectorName string

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: virtualNetworkName
}

resource subnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: subnetName
}

resource joinSubnet 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, connectorName, 'aci-connector subnet join')
  properties: {
    roleName: 'aci-connector ${connectorName} subnet join (${resourceGroup().name})'
    description: 'Lets aci-connector put container groups into a subnet, and nothing else.'
    type: 'CustomRole'
    permissions: [ { actions: [ 'Microsoft.Network/virtualNetworks/subnets/join/action' ], notActions: [] } ]
    assignableScopes: [ resourceGroup().id ]
  }
}

resource identityJoins 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: subnet
  name: guid(subnet.id, principalId, joinSubnet.id)
  properties: {
    roleDefinitionId: joinSubnet.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource servicePrincipalJoins 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(servicePrincipalObjectId)) {
  scope: subnet
  name: guid(subnet.id, servicePrincipalObjectId, joinSubnet.id)
  properties: {
    roleDefinitionId: joinSubnet.id
    principalId: servicePrincipalObjectId
    principalType: 'ServicePrincipal'
  }
}
