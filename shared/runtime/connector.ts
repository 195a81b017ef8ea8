// The connector's dependencies for the function entrypoints, built once per process from the settings
// (a Functions instance serves many invocations; clients and the credential's token cache are reused).
import type { TokenCredential } from "@azure/core-auth";
import { createAciClient } from "../aci/client.js";
import { createAciHealthProbe, type AciHealthProbe } from "../aci/location-health.js";
import { readSettings, type Settings } from "../config/settings.js";
import { loadKubeConfig } from "../kube/kubeconfig.js";
import { createNodeClient, type NodeClient } from "../kube/node-client.js";
import { readPackageVersion } from "../version.js";
import { systemClock, type Clock } from "./clock.js";
import { createCredential } from "./credential.js";
import type { Logger } from "./logger.js";

export interface ConnectorDependencies {
  readonly settings: Settings;
  readonly nodes: NodeClient;
  readonly aciHealth: AciHealthProbe;
  readonly clock: Clock;
  readonly log: Logger;
  readonly packageVersion: string;
}

interface ProcessWide {
  readonly settings: Settings;
  readonly credential: TokenCredential;
  readonly aciHealth: AciHealthProbe;
}

let processWide: ProcessWide | undefined;

function once(): ProcessWide {
  if (processWide === undefined) {
    const settings = readSettings();
    const credential = createCredential();
    const aci = createAciClient({ settings, credential });
    processWide = { settings, credential, aciHealth: createAciHealthProbe(aci, settings.location) };
  }
  return processWide;
}

/** Dependencies for one invocation; the Kubernetes client is rebuilt so an Entra token never expires under it. */
export async function connectorDependencies(log: Logger): Promise<ConnectorDependencies> {
  const { settings, credential, aciHealth } = once();
  const kubeConfig = await loadKubeConfig(settings.kubernetes, credential);
  return { settings, nodes: createNodeClient(kubeConfig), aciHealth, clock: systemClock, log, packageVersion: readPackageVersion() };
}
