// `<state-dir>/local.json`: what `aci-connector local` started, for `install --local`, `remove --local`
// and the user. Written with mode 0600 beside the admin kubeconfig: the webhook URL carries its secret.
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { NodeIdentity } from "../shared/kube/node-identity.js";
import type { EmulatorDescriptor } from "./emulator-state.js";

export interface LocalState {
  readonly connectorName: string;
  readonly location: string;
  readonly apiServer: string;
  /** The admin kubeconfig: the installer's rights. */
  readonly kubeconfig: string;
  readonly kubectl: string;
  /** The user the local functions authenticate to the API server as (a client certificate, no groups). */
  readonly connectorUser: string;
  /**
   * Who the functions act as: each virtual node's kubelet identity, which connectorUser impersonates
   * (docs/decisions/least-privilege.md). Check with kubectl auth can-i --as USER --as-group GROUP.
   */
  readonly nodeIdentities: readonly NodeIdentity[];
  /** The ACI emulator: its ARM endpoint, and its control surface for `aci-connector emulator fault|exit|logs`. */
  readonly emulator: EmulatorDescriptor;
  readonly webhook: { readonly url: string; readonly caFile: string };
  /** The nodes `local` installed when it started. */
  readonly nodes: readonly string[];
}

export const defaultStateDir = ".local";
const fileName = "local.json";

export async function writeLocalState(stateDir: string, state: LocalState): Promise<string> {
  const path = join(stateDir, fileName);
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return path;
}

export async function readLocalState(stateDir: string): Promise<LocalState> {
  const path = join(resolve(stateDir), fileName);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new Error(`no local run found (${path} is missing): start one with npm start, or pass its --state-dir`);
  }
  return JSON.parse(text) as LocalState;
}
