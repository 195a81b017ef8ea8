// aci-connector's Azure side (azd layout): a Function App on Flex Consumption running functions/, its
// user-assigned managed identity with the least roles it needs, identity-based storage, Application
// Insights with the operators' workbook, the Event Grid topic that relays webhook calls, and the system
// topic on the ACI resource group whose ARM events refresh pods. No stored keys anywhere.
targetScope = 'subscription'

@minLength(1)
@maxLength(48)
@description('azd environment name; names and tags every resource.')
param environmentName string

@description('Region of the container groups.')
param location string

@description('Region of the Function App and its resources: one where Flex Consumption is offered (install checks).')
param functionAppLocation string = location

@description('Resource group for the Function App and its resources: the connector\'s own, created here, deleted by azd down.')
param resourceGroupName string = 'rg-${environmentName}'

@description('Resource group the container groups are created in (--aci-resource-group): it must exist; never created or deleted by this template.')
param aciResourceGroupName string

@minValue(0)
@maxValue(40)
@description('Always-ready instances of the HTTP functions (--http-always-ready): no cold start for the webhook and the kubelet API, at a monthly baseline cost. 0 by default: docs/install.md says why.')
param httpAlwaysReady int = 0

@description('The connector name (--connector-name): names the virtual nodes and tags the groups.')
param connectorName string = 'aci-connector'

@description('The cluster\'s identity (its kube-system namespace UID): tags the groups, so two clusters\' connectors of one name never touch each other\'s.')
param clusterId string

@allowed([ 'Linux', 'Windows', 'Both' ])
@description('Which virtual nodes to register (--os-type).')
param osType string = 'Linux'

@description('The AKS API server URL (Entra ID access with the managed identity).')
param kubeApiServer string

@description('The AKS API server CA certificate, base64-encoded PEM.')
param kubeCaBase64 string

@secure()
@description('Secret path segment of the webhook URL. aci-connector install generates and passes one.')
param webhookPathToken string

@description('Optional subnet for container groups (private IPs).')
param aciSubnetId string = ''

@description('Optional (--service-principal): its application id; ARM calls then use it instead of the managed identity.')
param armClientId string = ''

@description('Optional: the service principal\'s object id, granted Contributor on the ACI resource group.')
param armPrincipalObjectId string = ''

@description('The service principal holds Contributor on the ACI resource group already (install checks): ARM refuses a second assignment of it (RoleAssignmentExists).')
param armPrincipalHasContributor bool = false

@secure()
@description('Optional (--client-secret): the service principal\'s secret.')
param armClientSecret string = ''

@description('Optional (--pull-identity): a user-assigned identity\'s resource id that pulls images of private registries; the connector may assign it to container groups.')
param aciPullIdentityId string = ''

@description('Optional (--pull-registries): the registries it pulls from, comma-separated (empty: *.azurecr.io).')
param aciPullRegistries string = ''

@description('Optional (--acr-id): container registries\' resource ids on which the pull identity is granted AcrPull.')
param acrIds array = []

@description('Optional (--workload-identity): the allow-list, "namespace/serviceaccount" to {clientId, resourceId}; the connector may assign each identity to container groups.')
param aciWorkloadIdentities object = {}

var tags = { 'azd-env-name': environmentName, 'aci-connector': connectorName }
var suffix = uniqueString(subscription().id, environmentName)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: functionAppLocation
  tags: tags
}

// The ACI resource group may be the user's own (--aci-resource-group), so it is referenced, never
// declared. azd treats every resource group a subscription deployment creates as its own and deletes it
// on `azd down` (Azure/azure-dev cli/azd/pkg/azapi/standard_deployments.go,
// createdResourceGroupsFromDeployment, azd 1.24.0); a declared group's PUT would also replace its tags,
// and fail with InvalidResourceGroupLocation when it exists in another region. install and azd's
// preprovision hook create it when it is missing (cli/aci-resource-group.ts, infra/hooks/preprovision.sh).
resource aciRg 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {
  name: aciResourceGroupName
}

module identity 'modules/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: { name: 'id-${suffix}', location: functionAppLocation, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: { name: 'appi-${suffix}', location: functionAppLocation, tags: tags, principalId: identity.outputs.principalId }
}

module workbook 'modules/workbook.bicep' = {
  scope: rg
  name: 'workbook'
  params: { location: functionAppLocation, tags: tags, appInsightsId: monitoring.outputs.id, connectorName: connectorName }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: { name: 'st${suffix}', location: functionAppLocation, tags: tags, principalId: identity.outputs.principalId }
}

module relay 'modules/relay-topic.bicep' = {
  scope: rg
  name: 'relay'
  params: { name: 'evgt-${suffix}', location: functionAppLocation, tags: tags, principalId: identity.outputs.principalId }
}

module aciAccess 'modules/aci-access.bicep' = {
  scope: aciRg
  name: 'aci-access'
  params: { principalId: identity.outputs.principalId, servicePrincipalObjectId: armPrincipalHasContributor ? '' : armPrincipalObjectId }
}

// A subnet id reads /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/subnets/N.
// Without one, placeholders: ARM evaluates a conditional module's scope even when it does not deploy it,
// and an index out of bounds would fail the whole deployment.
var subnetParts = split(empty(aciSubnetId) ? '/subscriptions/${subscription().subscriptionId}/resourceGroups/none/providers/Microsoft.Network/virtualNetworks/none/subnets/none' : aciSubnetId, '/')

module subnetAccess 'modules/subnet-access.bicep' = if (!empty(aciSubnetId)) {
  scope: resourceGroup(subnetParts[2], subnetParts[4])
  name: 'subnet-access'
  params: {
    virtualNetworkName: subnetParts[8]
    subnetName: subnetParts[10]
    principalId: identity.outputs.principalId
    servicePrincipalObjectId: armPrincipalObjectId
    connectorName: connectorName
  }
}

// Every identity the connector may put on a container group, each once; an id reads
// /subscriptions/S/resourceGroups/G/providers/Microsoft.ManagedIdentity/userAssignedIdentities/N.
var assignedIdentityIds = union(empty(aciPullIdentityId) ? [] : [ aciPullIdentityId ], map(items(aciWorkloadIdentities), entry => entry.value.resourceId))

module identityOperator 'modules/identity-operator.bicep' = [for (id, i) in assignedIdentityIds: {
  scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
  name: 'identity-operator-${i}'
  params: {
    identityName: last(split(id, '/'))
    principalId: identity.outputs.principalId
    servicePrincipalObjectId: armPrincipalObjectId
  }
}]

module acrPull 'modules/acr-pull.bicep' = [for (acrId, i) in acrIds: {
  scope: resourceGroup(split(acrId, '/')[2], split(acrId, '/')[4])
  name: 'acr-pull-${i}'
  params: {
    registryName: last(split(acrId, '/'))
    pullIdentityId: aciPullIdentityId
  }
}]

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  name: 'function-app'
  params: {
    name: 'func-${suffix}'
    location: functionAppLocation
    tags: union(tags, { 'azd-service-name': 'connector' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    httpAlwaysReady: httpAlwaysReady
    appSettings: {
      ACI_CONNECTOR_NAME: connectorName
      ACI_CONNECTOR_CLUSTER_ID: clusterId
      ACI_CONNECTOR_OS_TYPE: osType
      ACI_LOCATION: location
      AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
      ACI_RESOURCE_GROUP: aciResourceGroupName
      ACI_SUBNET_ID: aciSubnetId
      KUBE_API_SERVER: kubeApiServer
      KUBE_CA_BASE64: kubeCaBase64
      RELAY_TOPIC_ENDPOINT: relay.outputs.endpoint
      AZURE_CLIENT_ID: identity.outputs.clientId
      ACI_ARM_CLIENT_ID: armClientId
      ACI_ARM_TENANT_ID: empty(armClientId) ? '' : subscription().tenantId
      ACI_PULL_IDENTITY: aciPullIdentityId
      ACI_PULL_REGISTRIES: aciPullRegistries
      ACI_WORKLOAD_IDENTITIES: empty(aciWorkloadIdentities) ? '' : string(aciWorkloadIdentities)
    }
    // Secrets travel in a secure parameter only: deployment history keeps no value of it.
    secretAppSettings: {
      WEBHOOK_PATH_TOKEN: webhookPathToken
      ACI_ARM_CLIENT_SECRET: armClientSecret
    }
  }
}

// The Event Grid subscriptions point at functions that exist only once the code is deployed, so they
// are created by modules/event-subscriptions.bicep from azd's postdeploy hook (see azure.yaml).
output AZURE_RESOURCE_GROUP string = rg.name
output ACI_RESOURCE_GROUP string = aciRg.name
output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_HOST string = functionApp.outputs.defaultHostName
output RELAY_TOPIC_NAME string = relay.outputs.name
output CONNECTOR_PRINCIPAL_ID string = identity.outputs.principalId
output CONNECTOR_CLIENT_ID string = identity.outputs.clientId
output ACI_CONNECTOR_NAME string = connectorName
