// `aci-connector exec` / `kubectl aci exec`: a command in a container of a pod on a virtual node, through
// ACI's own exec, since kubectl exec cannot reach one (docs/decisions/kubelet-api.md). The pod is read
// with the user's kubeconfig and checked (on a virtual node, running, the container); ACI's exec is
// called with the user's own Azure credential through the real SDK client; the session is piped to this
// terminal (exec-session.ts).
import { readFileSync } from "node:fs";
import { CoreV1Api, KubeConfig, type V1Node, type V1Pod } from "@kubernetes/client-node";
import { isRestError } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/core-auth";
import { createAciClient } from "../shared/aci/client.js";
import { describeKubeError, isForbidden, unlessNotFound } from "../shared/kube/errors.js";
import { requestOptions } from "../shared/kube/request-options.js";
import { createCredential, emulatorCredential } from "../shared/runtime/credential.js";
import { containerGroupName } from "../shared/translate/naming.js";
import { execContainer } from "./exec-target.js";
import { execHelp, parseExecOptions, type ExecOptions } from "./exec-options.js";
import { runExecSession } from "./exec-session.js";
import { readLocalState } from "./local-state.js";
import type { Command } from "./main.js";

/** Every deadline exec has, in one place. The session itself lasts as long as the command. */
export const execLimits = {
  /** Each read of the pod and of its node. */
  kubeReadMs: 15_000,
  /** ACI's exec request (the SDK's retries included). */
  armCallMs: 30_000,
  /** The WebSocket's opening handshake. */
  connectMs: 15_000,
  /** A ping on the open session this often; no pong by the next one ends it. */
  pingEveryMs: 30_000,
} as const;

/** What ACI's exec is told without a terminal to measure (azure-cli's fallback too). */
const defaultTerminal = { rows: 24, cols: 80 } as const;

/** A refusal worded for the user: printed as it is, exit 1. */
class ExecRefusal extends Error {
  override readonly name = "ExecRefusal";
}

interface ArmTarget {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly armEndpoint?: string;
  readonly armCaFile?: string;
}

/** The command, as `invokedAs` names itself in help and errors ("aci-connector exec", "kubectl aci exec"). */
export function execCommand(invokedAs: string): Command {
  return async (args) => {
    const parsed = parseExecOptions(args);
    if (!parsed.ok) {
      if (parsed.help) return (process.stdout.write(execHelp(invokedAs)), 0);
      process.stderr.write(`${invokedAs}: ${parsed.error}\n\nRun "${invokedAs} --help" for the options.\n`);
      return 2;
    }
    try {
      return await exec(parsed.options, invokedAs);
    } catch (error) {
      process.stderr.write(`${invokedAs}: ${(error as Error).message}\n`);
      return 1;
    }
  };
}

async function exec(options: ExecOptions, invokedAs: string): Promise<number> {
  const local = options.local ? await readLocalState(options.stateDir) : undefined;
  const kube = loadKubeconfig(options.kubeconfig ?? local?.kubeconfig, options.context);
  const namespace = options.namespace ?? kube.getContextObject(kube.getCurrentContext())?.namespace ?? "default";
  const ref = `${namespace}/${options.pod}`;
  const core = kube.makeApiClient(CoreV1Api);
  const server = kube.getCurrentCluster()?.server ?? "the API server";
  const kubeCall = async <T>(what: string, call: (o: ReturnType<typeof requestOptions>) => Promise<T>): Promise<T> => {
    try {
      return await call(requestOptions({ abortSignal: AbortSignal.timeout(execLimits.kubeReadMs) }));
    } catch (error) {
      if (isForbidden(error)) throw error;
      if ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError") throw new ExecRefusal(`${server} did not answer reading ${what} within ${execLimits.kubeReadMs / 1000} s`);
      throw new ExecRefusal(`could not read ${what} from ${server}: ${describeKubeError(error)}`);
    }
  };

  const pod: V1Pod | undefined = await kubeCall(`pod ${ref}`, (o) => unlessNotFound(core.readNamespacedPod({ name: options.pod, namespace }, o))).catch((error: unknown) => {
    if (isForbidden(error)) throw new ExecRefusal(`the cluster does not let you read pod ${ref}: ${describeKubeError(error)}`);
    throw error;
  });
  if (pod === undefined) throw new ExecRefusal(`pod ${ref} not found`);
  const nodeName = pod.spec?.nodeName;
  const node: V1Node | undefined | "unreadable" =
    nodeName === undefined || nodeName === ""
      ? undefined
      : await kubeCall(`node ${nodeName}`, (o) => unlessNotFound(core.readNode({ name: nodeName }, o))).catch((error: unknown) => {
          // Without the right to read nodes, the group's name (derived from the pod's UID) still ties it to the pod.
          if (isForbidden(error)) return "unreadable" as const;
          throw error;
        });
  const chosen = execContainer(pod, node, options.container);
  if (!chosen.ok) throw new ExecRefusal(chosen.problem);

  const arm = armTarget(options, local);
  const group = containerGroupName({ namespace, name: options.pod, uid: pod.metadata!.uid! });
  const client = createAciClient({ settings: { subscriptionId: arm.subscriptionId, armEndpoint: arm.armEndpoint, armCaFile: arm.armCaFile }, credential: arm.credential });
  const tty = options.tty && process.stdin.isTTY === true;
  if (options.tty && !tty) process.stderr.write("Unable to use a TTY - input is not a terminal or the right kind of file\n");
  // A terminal that reports no size (0 x 0, as a new pseudo-terminal may) gets the default too.
  const terminalSize = process.stdout.isTTY === true && process.stdout.rows > 0 && process.stdout.columns > 0 ? { rows: process.stdout.rows, cols: process.stdout.columns } : defaultTerminal;
  let session: { webSocketUri?: string; password?: string };
  try {
    session = await client.containers.executeCommand(arm.resourceGroup, group, chosen.container, { command: options.command, terminalSize }, { abortSignal: AbortSignal.timeout(execLimits.armCallMs) });
  } catch (error) {
    throw new ExecRefusal(armExecProblem(error, { ref, group, container: chosen.container, ...arm }));
  }
  if (session.webSocketUri === undefined || session.password === undefined) throw new ExecRefusal("ACI's exec answer has no webSocketUri or password");

  if (tty) process.stdin.setRawMode(true);
  try {
    const end = await runExecSession(
      { webSocketUri: session.webSocketUri, password: session.password },
      { ...(options.stdin && { stdin: process.stdin }), stdout: process.stdout },
      { ...(arm.armCaFile !== undefined && { ca: readFileSync(arm.armCaFile, "utf8") }), connectTimeoutMs: execLimits.connectMs, pingEveryMs: execLimits.pingEveryMs },
    );
    if (end.kind === "closed") return 0;
    process.stderr.write(`${tty ? "\r\n" : ""}${invokedAs}: ${end.message}\n`);
    return 1;
  } finally {
    if (tty) process.stdin.setRawMode(false);
    // Standard input was read: let go of it, or the process would wait on it after the session.
    if (options.stdin) process.stdin.destroy();
  }
}

function loadKubeconfig(path: string | undefined, context: string | undefined): KubeConfig {
  const kube = new KubeConfig();
  try {
    if (path !== undefined) kube.loadFromFile(path);
    else kube.loadFromDefault();
  } catch (error) {
    // The parser's own message may quote the file (tokens included): only its code or kind is said.
    const code = (error as { code?: unknown }).code;
    throw new ExecRefusal(`the kubeconfig ${path ?? "(KUBECONFIG or ~/.kube/config)"} cannot be used: ${typeof code === "string" ? code : "it is not a valid kubeconfig"}`);
  }
  if (context !== undefined) {
    if (kube.getContextObject(context) === null) throw new ExecRefusal(`the kubeconfig has no context "${context}"; its contexts: ${kube.getContexts().map((c) => c.name).join(", ")}`);
    kube.setCurrentContext(context);
  }
  return kube;
}

/**
 * Where the pod's container group is in ARM: the local run's emulator with --local; otherwise the
 * options, then the connector's own setting names (AZURE_SUBSCRIPTION_ID, ACI_RESOURCE_GROUP, and
 * ARM_ENDPOINT / ARM_CA_FILE / ARM_CREDENTIAL=emulator to point at an emulator).
 */
function armTarget(options: ExecOptions, local: Awaited<ReturnType<typeof readLocalState>> | undefined, env: NodeJS.ProcessEnv = process.env): ArmTarget {
  if (local !== undefined) {
    const { emulator } = local;
    return { credential: emulatorCredential, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile };
  }
  const subscriptionId = options.subscription ?? env.AZURE_SUBSCRIPTION_ID;
  const resourceGroup = options.aciResourceGroup ?? env.ACI_RESOURCE_GROUP;
  const missing = [
    ...(subscriptionId === undefined ? ["--subscription ID (or AZURE_SUBSCRIPTION_ID; az account show --query id -o tsv prints yours)"] : []),
    ...(resourceGroup === undefined ? ["--aci-resource-group RG (or ACI_RESOURCE_GROUP): the container groups' resource group, <AKS resource group>-aci-<connector name> unless install was told otherwise"] : []),
  ];
  if (missing.length > 0) throw new ExecRefusal(`say where the pod's container group is in Azure: ${missing.join("; ")}`);
  return {
    credential: createCredential(env),
    subscriptionId: subscriptionId!,
    resourceGroup: resourceGroup!,
    ...(env.ARM_ENDPOINT !== undefined && { armEndpoint: env.ARM_ENDPOINT }),
    ...(env.ARM_CA_FILE !== undefined && { armCaFile: env.ARM_CA_FILE }),
  };
}

/** ACI's refusal of the exec request as a sentence: what was asked, what ARM said, what to check. */
function armExecProblem(error: unknown, target: { ref: string; group: string; container: string; subscriptionId: string; resourceGroup: string }): string {
  const e = error as Error;
  if (e.name === "TimeoutError" || e.name === "AbortError") return `ACI did not answer the exec request within ${execLimits.armCallMs / 1000} s`;
  if (e.name === "CredentialUnavailableError" || e.name === "AggregateAuthenticationError" || e.name === "AuthenticationRequiredError") {
    return "no Azure sign-in found: run az login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal)";
  }
  if (!isRestError(error)) return `the exec request to ACI failed: ${e.message}`;
  const said = `${error.statusCode ?? "no answer"}${error.code === undefined ? "" : ` ${error.code}`}: ${error.message}`;
  const where = `resource group ${target.resourceGroup} of subscription ${target.subscriptionId}`;
  if (error.code === "ResourceGroupNotFound") return `${where} does not exist (${said}): is --aci-resource-group right?`;
  if (error.statusCode === 404 && error.code === "ContainerNotFound") return `container group ${target.group} of pod ${target.ref} has no container ${target.container} (${said})`;
  if (error.statusCode === 404) return `container group ${target.group} of pod ${target.ref} is not in ${where} (${said}): has the connector created it, and is --aci-resource-group right?`;
  if (error.statusCode === 401 || error.statusCode === 403) {
    return `ARM refused your Azure identity (${said}): it needs Microsoft.ContainerInstance/containerGroups/containers/exec/action on ${where}`;
  }
  return `ACI refused to exec in container ${target.container} of pod ${target.ref} (${said})`;
}
