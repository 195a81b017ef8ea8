// The operators' workbook (infra/workbook/aci-connector.workbook.json): charts of the connector's metrics
// and its last errors, listed under the Application Insights resource's Workbooks. Its name is derived
// from that resource, so a second deployment updates the workbook instead of adding another.
param location string
param tags object
param appInsightsId string
param connectorName string

// Loaded as JSON and merged, as Microsoft's "Programmatically manage workbooks" page does it, rather than
// edited as text: fallbackResourceIds opens the workbook on this Application Insights resource from any
// entry point (Azure Monitor's gallery, a shared link) without a resource id in the file.
var content = union(loadJsonContent('../workbook/aci-connector.workbook.json'), { fallbackResourceIds: [ appInsightsId ] })

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(appInsightsId, 'aci-connector-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'aci-connector: ${connectorName}'
    category: 'workbook'
    sourceId: appInsightsId
    version: content.version
    serializedData: string(content)
  }
}
