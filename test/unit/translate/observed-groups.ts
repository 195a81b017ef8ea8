// A container group as a GET returns it, for the status-mapping tables: containers (and init containers)
// by name with the instanceView given, or none when undefined.
import type { ArmContainerInstanceView, ArmEvent } from "../../../shared/translate/arm-types.js";
import type { ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";

export interface ObservedGroupInput {
  readonly provisioningState: string;
  /** The group's instanceView state; no instanceView at all when undefined (a list item). */
  readonly groupState?: string;
  readonly containers: Readonly<Record<string, ArmContainerInstanceView | undefined>>;
  readonly initContainers?: Readonly<Record<string, ArmContainerInstanceView | undefined>>;
  readonly groupEvents?: ArmEvent[];
  readonly restartPolicy?: "Always" | "OnFailure" | "Never";
  readonly name?: string;
  readonly ip?: string;
}

export function observedGroup(input: ObservedGroupInput): ObservedContainerGroup {
  const withView = (view: ArmContainerInstanceView | undefined) => (view === undefined ? {} : { instanceView: view });
  return {
    name: input.name ?? "shop-web-0123456789abcdef",
    location: "westeurope",
    tags: {},
    properties: {
      osType: "Linux",
      restartPolicy: input.restartPolicy ?? "Always",
      provisioningState: input.provisioningState,
      ...(input.initContainers !== undefined && { initContainers: Object.entries(input.initContainers).map(([name, view]) => ({ name, properties: { image: `${name}:1`, ...withView(view) } })) }),
      containers: Object.entries(input.containers).map(([name, view]) => ({ name, properties: { image: `${name}:1`, resources: { requests: { cpu: 1, memoryInGB: 1.5 } }, ...withView(view) } })),
      ...(input.ip !== undefined && { ipAddress: { type: "Public", ports: [{ port: 80, protocol: "TCP" }], ip: input.ip } }),
      ...(input.groupState !== undefined && { instanceView: { state: input.groupState, events: input.groupEvents ?? [] } }),
    },
  };
}
