// The app settings a Function App needs for its webhook alone, as the functions read them (once, at the
// first invocation): the webhook never talks to Kubernetes or ARM, so those settings point nowhere.
export function webhookOnlySettings(connectorName: string, pathToken: string): Record<string, string> {
  return {
    ACI_CONNECTOR_NAME: connectorName,
    ACI_CONNECTOR_CLUSTER_ID: "5d1f4c1e-8b1a-4f0e-9a51-3c9b0d1e2f40",
    ACI_LOCATION: "westeurope",
    AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000",
    ACI_RESOURCE_GROUP: "rg",
    KUBECONFIG: "/nonexistent/kubeconfig",
    ARM_CREDENTIAL: "emulator",
    WEBHOOK_PATH_TOKEN: pathToken,
  };
}
