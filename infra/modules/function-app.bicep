// The Function App on Flex Consumption (Node 20), running as the user-assigned identity: storage,
// deployment and Application Insights all use it, so no connection string holds a key.
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
@description('Always-ready instances of the `http` scale group (every HTTP function: the webhook, the kubelet API).')
param httpAlwaysReady int = 0
@description('The connector settings (shared/config/settings.ts reads them), secrets excepted.')
param appSettings object
@secure()
@description('The connector settings that are secrets (webhook path token, ARM client secret): secure, so no deployment keeps their values.')
param secretAppSettings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2' }
    // The kubelet API (functions/kubeletApi.ts) authenticates the API server by its kubelet client
    // certificate, which the front end forwards in X-ARR-ClientCert. Required, so that the TLS handshake
    // proves the key (in Optional mode a certificate is forwarded without that proof:
    // MicrosoftDocs/azure-docs#111230); the webhook under /api, called without one, is excluded.
    // docs/decisions/kubelet-api.md
    clientCertEnabled: true
    clientCertMode: 'Required'
    clientCertExclusionPaths: '/api'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      // Flex Consumption scales HTTP functions together in one group and every other function on its own
      // instances, so the timers' instances never answer the webhook: only always-ready instances of the
      // `http` group take its cold start away (learn.microsoft.com/azure/azure-functions/flex-consumption-plan,
      // "Per-function scaling", "Always ready instances").
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
        alwaysReady: httpAlwaysReady > 0 ? [ { name: 'http', instanceCount: httpAlwaysReady } ] : []
      }
      runtime: { name: 'node', version: '20' }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    // The virtual nodes advertise the app's own host name on 443 as their kubelet endpoint.
    properties: union(hostSettings, { KUBELET_ENDPOINT: '${app.properties.defaultHostName}:443' }, appSettings, secretAppSettings)
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
