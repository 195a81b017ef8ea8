// The arguments of `aci-connector status`: where to look (the local run, or a cluster and subscription
// as `remove` takes them: the same options, parsed by the same code) and how to show it.
import { parseConnectorOptions, type ConnectorOptions } from "../connector-options.js";
import { defaultStateDir } from "../local-state.js";

export interface StatusOptions {
  readonly target: ConnectorOptions;
  readonly output: "text" | "json";
  /** Seconds between screens with --watch; undefined: one screen. */
  readonly watchSeconds?: number;
}

export const defaultWatchSeconds = 5;

export const statusHelp = `Usage: aci-connector status --local [--state-dir DIR] [--kubeconfig FILE] [options]
       aci-connector status --connector-name NAME --name CLUSTER --resource-group RG [options]

Shows what the connector is doing, on one screen: each virtual node (Ready, ACI's availability and the
connector's NoSchedule taint, the Lease's age, requests used of allocatable), the pods on them by phase
and reason, the container groups by state, orphaned groups and stuck pods, the ARM requests of the last
minutes against the budget, how stale a pod's status can be, and the last reconcile tick. It only
reads: the cluster (nodes, Leases, pods, the kube-system namespace), ARM (one list of the container
groups) and what the connector publishes on its nodes. The README's "Operating it" says what each
number means.

  --local                    the local run (npm start)
  --state-dir DIR            the local run's state directory (default ${defaultStateDir})
  --connector-name NAME, -n/--name CLUSTER, -g/--resource-group RG, --aci-resource-group RG,
  -l/--location L, --subscription ID
                             the connector in Azure, as install and remove take them
  --kubeconfig FILE          read the cluster with this kubeconfig (default: KUBECONFIG or
                             ~/.kube/config; the local run's admin kubeconfig with --local); read
                             rights are enough
  --watch                    refresh the screen every --interval seconds until Ctrl-C
  --interval SECONDS         with --watch (default ${defaultWatchSeconds}, 1 to 3600)
  -o, --output text|json     json: the report as one JSON object (one per line with --watch)
  -h, --help                 this text
`;

export type ParsedStatusOptions = { readonly ok: true; readonly options: StatusOptions } | { readonly ok: false; readonly help: boolean; readonly error?: string };

export function parseStatusOptions(args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): ParsedStatusOptions {
  const rest: string[] = [];
  const problems: string[] = [];
  let output: string | undefined;
  let watch = false;
  let interval: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === "--watch") watch = true;
    else if (flag === "--interval") interval = value();
    else if (flag === "--output" || flag === "-o") output = value();
    else if (flag === "--help" || flag === "-h") return { ok: false, help: true };
    else rest.push(arg);
  }
  if (output !== undefined && output !== "text" && output !== "json") problems.push(`--output must be text or json (got "${output}")`);
  const seconds = interval === undefined ? defaultWatchSeconds : Number(interval);
  if (interval !== undefined && !(/^\d+$/.test(interval) && seconds >= 1 && seconds <= 3600)) problems.push(`--interval must be a whole number of seconds from 1 to 3600 (got "${interval ?? ""}")`);
  if (interval !== undefined && !watch) problems.push("--interval goes with --watch");
  // --kubeconfig is not an Azure-only argument here: a viewer reads the local run with their own rights.
  const target = parseConnectorOptions("remove", rest, env);
  if (!target.ok) {
    if (target.help) return { ok: false, help: true };
    problems.push(...(target.error ?? "").split("\n").filter((l) => l !== ""));
  }
  if (problems.length > 0 || !target.ok) return { ok: false, help: false, error: problems.join("\n") };
  return { ok: true, options: { target: target.options, output: output === "json" ? "json" : "text", ...(watch && { watchSeconds: seconds }) } };
}
