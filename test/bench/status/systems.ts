// The systems the status benchmark puts side by side, each started on a fresh emulator with ARM's token
// buckets on (they are per principal: a system never pays for another's reads) and ACI's quotas raised
// as a subscription running this many pods would have them.
import type { V1Pod } from "@kubernetes/client-node";
import { createAciClient } from "../../../shared/aci/client.js";
import { groupNameOf } from "../../../shared/controller/pod-sync.js";
import { kubeConfigAsNode, nodeUser } from "../../../shared/kube/node-identity.js";
import { eventGridRetryScheduleMs } from "../../../shared/relay/in-process.js";
import { emulatorCredential } from "../../../shared/runtime/credential.js";
import type { TestCluster } from "../../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../../support/running-connector.js";
import type { TestEmulator } from "../../support/emulator.js";
import { goSdkRetry, startAzureAciModel } from "./azure-aci-model.js";

/** Production's schedules (functions/triggers.ts: reconcile every 15 s; heartbeats about every 10 s). */
export const reconcilePeriodMs = 15_000;
const heartbeatPeriodMs = 10_000;

export interface SystemUnderTest {
  readonly emulator: TestEmulator;
  readonly nodeName: string;
  /** The users its Kubernetes requests are made as, for the API server's own count. */
  readonly users: readonly string[];
  groupOf(pod: V1Pod): string;
  /** Errors it logged and went on after (throttling, a tick's deadline). */
  errors(): number;
  /** The first few distinct ones, for a run that went wrong. */
  errorSamples(): string[];
  stop(): Promise<void>;
}

export interface SystemSpec {
  readonly name: string;
  /** Our read share, for the targets; undefined for the model. */
  readonly readShare?: number;
  start(cluster: TestCluster, connectorName: string): Promise<SystemUnderTest>;
}

const emulatorOptions = (pods: number) => ({
  throttling: true,
  quota: { containerGroups: pods * 2 + 100, standardCores: pods * 4 + 100, createsPer5Min: 1_000_000, createsPerHour: 1_000_000 },
});

function usersOf(running: RunningConnector): string[] {
  return [running.connector.identity.user, ...running.connector.nodeNames.map(nodeUser)];
}

/** Our connector as the functions run it, at a read share: webhook, ARM events, reconcile every 15 s. */
export function ours(name: string, readShare: number, pods: number): SystemSpec {
  return {
    name,
    readShare,
    async start(cluster, connectorName) {
      // Event Grid's own retries: a delivery that fails in a burst comes back 10 s later, not at once.
      const running = await startRunningConnector(cluster, { connectorName, periodMs: reconcilePeriodMs, heartbeatPeriodMs, readShare, retryScheduleMs: eventGridRetryScheduleMs, emulator: emulatorOptions(pods) });
      // Whatever it logs is a figure (throttling, a tick's deadline), not a failure of the benchmark.
      running.expectErrors(/./);
      return {
        emulator: running.emulator,
        nodeName: running.connector.nodeNames[0]!,
        users: usersOf(running),
        groupOf: groupNameOf,
        errors: () => running.errors.length,
        errorSamples: () => [...new Set(running.errors)].slice(0, 5),
        stop: () => running.stop(),
      };
    },
  };
}

/**
 * The model of azure-aci v1.6.4 (azure-aci-model.ts). Our connector's node registration and heartbeats
 * keep its node Ready (azure-aci's own node controller does that in its process); none of our pod paths
 * run (no webhook, no reconcile, no ARM events).
 */
export function azureAciModel(name: string, pods: number): SystemSpec {
  return {
    name,
    async start(cluster, connectorName) {
      const running = await startRunningConnector(cluster, { connectorName, periodMs: reconcilePeriodMs, heartbeatPeriodMs, webhook: false, reconcile: false, armEvents: false, emulator: emulatorOptions(pods) });
      running.expectErrors(/./);
      const nodeName = running.connector.nodeNames[0]!;
      const { emulator } = running;
      const errors: string[] = [];
      const model = await startAzureAciModel({
        kubeConfig: kubeConfigAsNode(running.connector.identity.kubeConfig, nodeName),
        nodeName,
        arm: createAciClient({ settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile }, credential: emulatorCredential, retryOptions: goSdkRetry }),
        resourceGroup: emulator.resourceGroup,
        location: "westeurope",
        onError: (what, error) => void errors.push(`${what}: ${(error as Error).message}`),
      });
      return {
        emulator,
        nodeName,
        users: usersOf(running),
        groupOf: (pod) => model.groupOf(pod),
        errors: () => errors.length + running.errors.length,
        errorSamples: () => [...new Set([...errors, ...running.errors])].slice(0, 5),
        async stop() {
          await model.stop();
          await running.stop();
        },
      };
    },
  };
}
