// The ARM surface's routes: which method and path is which operation. The operation names are also what
// faults and counters are keyed by, so the control surface and its CLI list them from here.
export const provider = "Microsoft.ContainerInstance";

export interface Route {
  readonly operation: OperationName;
  readonly params: Record<string, string>;
  /** Operations of Microsoft.Resources (provider registration) rather than of ACI. */
  readonly resources: boolean;
}

const sub = "^/subscriptions/(?<subscription>[^/]+)";
const rg = `${sub}/resourceGroups/(?<resourceGroup>[^/]+)/providers/${provider}`;

// Names follow the SDK's operation groups (client.containerGroups.get is "containerGroups.get").
const table = [
  ["GET", `${sub}/providers/(?<namespace>[^/]+)$`, "providers.get"],
  ["POST", `${sub}/providers/(?<namespace>[^/]+)/register$`, "providers.register"],
  ["GET", `${sub}/providers/${provider}/locations/(?<location>[^/]+)/usages$`, "location.listUsage"],
  ["GET", `${sub}/providers/${provider}/locations/(?<location>[^/]+)/operations/(?<operationId>[^/]+)$`, "operations.get"],
  ["GET", `${sub}/providers/${provider}/locations/(?<location>[^/]+)/capabilities$`, "location.listCapabilities"],
  ["GET", `${sub}/providers/${provider}/locations/(?<location>[^/]+)/cachedImages$`, "location.listCachedImages"],
  ["GET", `${sub}/providers/${provider}/containerGroups$`, "containerGroups.list"],
  ["GET", `${rg}/containerGroups$`, "containerGroups.listByResourceGroup"],
  ["PUT", `${rg}/containerGroups/(?<name>[^/]+)$`, "containerGroups.createOrUpdate"],
  ["GET", `${rg}/containerGroups/(?<name>[^/]+)$`, "containerGroups.get"],
  ["DELETE", `${rg}/containerGroups/(?<name>[^/]+)$`, "containerGroups.delete"],
  ["PATCH", `${rg}/containerGroups/(?<name>[^/]+)$`, "containerGroups.update"],
  ["POST", `${rg}/containerGroups/(?<name>[^/]+)/stop$`, "containerGroups.stop"],
  ["POST", `${rg}/containerGroups/(?<name>[^/]+)/start$`, "containerGroups.start"],
  ["POST", `${rg}/containerGroups/(?<name>[^/]+)/restart$`, "containerGroups.restart"],
  ["GET", `${rg}/containerGroups/(?<name>[^/]+)/containers/(?<container>[^/]+)/logs$`, "containers.listLogs"],
  ["POST", `${rg}/containerGroups/(?<name>[^/]+)/containers/(?<container>[^/]+)/exec$`, "containers.executeCommand"],
  // Not ARM: Azure Monitor's metrics data plane (<region>.metrics.monitor.azure.com), served here too (metrics.ts).
  ["POST", `${sub}/metrics:getBatch$`, "metrics.getBatch"],
] as const;

export type OperationName = (typeof table)[number][2];

/** Every operation the ARM surface serves, in the table's order. */
export const operationNames: readonly OperationName[] = table.map(([, , operation]) => operation);
/** The operations ARM charges to its reads bucket (every GET): what a benchmark counts as reads. */
export const readOperations: readonly OperationName[] = table.filter(([method]) => method === "GET").map(([, , operation]) => operation);

/** Maps a path and method to an ARM operation of this provider. */
export function routeOf(method: string, path: string): Route | undefined {
  for (const [m, pattern, operation] of table) {
    if (m !== method) continue;
    const match = new RegExp(pattern, "i").exec(path);
    if (match !== null) {
      return {
        operation,
        params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])),
        resources: operation.startsWith("providers."),
      };
    }
  }
  return undefined;
}
