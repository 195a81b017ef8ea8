// Every metric the connector emits, in one place: the code records through these names, the workbook
// in infra/ charts them, and a test fails when the two drift apart. Names follow OpenTelemetry's
// conventions (dotted, lower case, unit in `unit`, not in the name); Azure Monitor stores each as a
// customMetrics row of the same name.
export const instruments = {
  reconcileDuration: {
    name: "aci_connector.reconcile.duration",
    kind: "histogram",
    unit: "s",
    description: "How long one reconcile tick took, by its outcome",
    attributes: ["outcome"],
  },
  armRequests: {
    name: "aci_connector.arm.requests",
    kind: "counter",
    unit: "{request}",
    description: "Requests sent to ARM, by kind (reads or writes) and HTTP status (429 is ARM throttling)",
    attributes: ["kind", "http.response.status_code"],
  },
  doorbellToPut: {
    name: "aci_connector.doorbell_to_put.duration",
    kind: "histogram",
    unit: "s",
    description: "From the webhook's doorbell to the container group's PUT for the same pod",
    attributes: [],
  },
  aciRunningToPodRunning: {
    name: "aci_connector.aci_running_to_pod_running.duration",
    kind: "histogram",
    unit: "s",
    description: "From the moment ACI reports a container group Running to the pod's Running status write",
    attributes: [],
  },
  pods: {
    name: "aci_connector.pods",
    kind: "gauge",
    unit: "{pod}",
    description: "Pods on the virtual nodes at the last reconcile tick, by phase",
    attributes: ["k8s.pod.phase"],
  },
} as const;

export type InstrumentName = (typeof instruments)[keyof typeof instruments]["name"];
