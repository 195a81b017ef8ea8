// What ACI can run in the connector's region (Location_ListCapabilities: GET .../providers/
// Microsoft.ContainerInstance/locations/{location}/capabilities), read through the SDK and kept, so each
// pod's create can be checked against the region's real figures (shared/translate/region-capabilities.ts)
// without an ARM read of its own. How long, and how often after a failure: armBudget.capabilities.
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import type { Clock } from "../runtime/clock.js";
import type { ArmCapabilities } from "../translate/arm-types.js";
import type { RegionCapabilities } from "../translate/region-capabilities.js";
import { armBudget } from "./arm-budget.js";
import { toAciError } from "./errors.js";

/** The region's capabilities, or why they are not known (then ACI decides a group's size: see podToContainerGroup). */
export type CapabilitiesReading = { readonly capabilities: RegionCapabilities } | { readonly unknown: string };

export interface LocationCapabilities {
  /**
   * The rows kept, or read now when they are older than `keepMs` (one read for every caller waiting, with
   * its own deadline). When ARM fails, the rows read before are kept (a region's figures outlast an
   * outage), and with none, `unknown` says why; no new read for `retryMs`. Never throws.
   */
  read(): Promise<CapabilitiesReading>;
}

export function createLocationCapabilities(client: Pick<ContainerInstanceManagementClient, "location">, location: string, clock: Clock): LocationCapabilities {
  const budget = armBudget.capabilities;
  let kept: { capabilities: RegionCapabilities; at: number } | undefined;
  let failure: { message: string; at: number } | undefined;
  let reading: Promise<void> | undefined;

  const readNow = async () => {
    try {
      const rows: ArmCapabilities[] = [];
      for await (const row of client.location.listCapabilities(location, { abortSignal: AbortSignal.timeout(budget.readTimeoutMs) })) {
        if (row.resourceType?.toLowerCase() === "containergroups") rows.push(row);
      }
      kept = { capabilities: { location, rows }, at: clock.now().getTime() };
      failure = undefined;
    } catch (error) {
      failure = { message: toAciError(error, `reading ACI's capabilities in ${location}`).message, at: clock.now().getTime() };
    }
  };

  return {
    async read() {
      const now = clock.now().getTime();
      const due = (kept === undefined || now - kept.at >= budget.keepMs) && (failure === undefined || now - failure.at >= budget.retryMs);
      if (due) {
        reading ??= readNow().finally(() => (reading = undefined));
        await reading;
      }
      if (kept !== undefined) return { capabilities: kept.capabilities };
      return { unknown: failure?.message ?? `ACI's capabilities in ${location} have not been read yet` };
    },
  };
}
