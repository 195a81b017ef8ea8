// The arguments of `aci-connector exec` (and `kubectl aci exec`): kubectl exec's own (POD, -n, -c, -i,
// -t, -- COMMAND...), where the cluster is (kubeconfig, context, or the local run), and where its
// container groups are in Azure. Pure.
//
// ACI's exec takes ONE command string, not an argv (Containers_ExecuteCommand's `command`), and no
// quoting of any kind is documented for it: the command and its arguments are joined with single spaces,
// as azure-aci's RunInContainer joins them, and an argument that cannot survive that join unchanged (a
// space, a tab, a newline, a quote or a backslash in it, or an empty one) is refused by name instead of
// being sent changed. See docs/decisions/kubelet-api.md.
import { parseArgs } from "node:util";
import { defaultStateDir } from "./local-state.js";

export interface ExecOptions {
  readonly pod: string;
  readonly namespace?: string;
  readonly container?: string;
  /** -i: standard input goes to the command. */
  readonly stdin: boolean;
  /** -t: standard input is a terminal (raw mode) and the terminal's size goes with the request. */
  readonly tty: boolean;
  /** The command as ACI receives it: one string. */
  readonly command: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Against the local run (npm start): its kubeconfig and its emulator. */
  readonly local: boolean;
  readonly stateDir: string;
  readonly subscription?: string;
  readonly aciResourceGroup?: string;
}

export type ParsedExecOptions = { readonly ok: true; readonly options: ExecOptions } | { readonly ok: false; readonly help: boolean; readonly error?: string };

export function execHelp(invokedAs: string): string {
  return `Usage: ${invokedAs} POD [-n NAMESPACE] [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]

Runs COMMAND in a container of POD, a pod on an aci-connector virtual node, through Azure Container
Instances' own exec (kubectl exec cannot reach a virtual node: Azure Functions cannot hold the upgraded
connection it needs). It reads the pod with your kubeconfig, then calls ACI's exec with your own Azure
sign-in (az login, or any DefaultAzureCredential source) and pipes the session to this terminal.

  -n, --namespace NS         the pod's namespace (default: the context's, else default)
  -c, --container NAME       the container (required when the pod has several)
  -i, --stdin                pass standard input to the command
  -t, --tty                  standard input is a terminal: raw mode, and the terminal's size is sent
                             (at the start only: ACI's exec has no resize message)
  --kubeconfig FILE          the cluster's kubeconfig (default: KUBECONFIG, else ~/.kube/config)
  --context NAME             a kubeconfig context other than the current one
  --subscription ID          the container groups' subscription (default: AZURE_SUBSCRIPTION_ID)
  --aci-resource-group RG    the container groups' resource group (default: ACI_RESOURCE_GROUP; install
                             names it <AKS resource group>-aci-<connector name>)
  --local                    against the local run (npm start): its kubeconfig and ACI emulator
  --state-dir DIR            the local run's state directory (default ${defaultStateDir})
  -h, --help                 this text

One command string: ACI's exec takes the command as a single string, not as separate arguments. The
arguments are joined with single spaces, so an argument holding a space, tab, newline, quote or
backslash (or an empty one) cannot be passed as it is and is refused, naming it. Microsoft documents
that ACI runs a single process without arguments ("you can't ... execute echo FOO"); if your command
with arguments is refused there, start a shell (-it -- sh) and type the command in it.

Exit status: ACI's exec reports no exit code of the command. This exits 0 when the session ends
normally (whatever the command's own status was), 1 when ACI or the cluster refuses, the pod cannot
be exec'd into, or the connection fails or is closed abnormally, and 2 for a bad argument.
`;
}

/** Splits at the first `--`: options and the pod before it, the command after it (kubectl exec's form). */
export function parseExecOptions(args: readonly string[]): ParsedExecOptions {
  const dashes = args.indexOf("--");
  const before = dashes < 0 ? [...args] : args.slice(0, dashes);
  const argv = dashes < 0 ? [] : args.slice(dashes + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: before,
      allowPositionals: true,
      options: {
        namespace: { type: "string", short: "n" },
        container: { type: "string", short: "c" },
        stdin: { type: "boolean", short: "i", default: false },
        tty: { type: "boolean", short: "t", default: false },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        subscription: { type: "string" },
        "aci-resource-group": { type: "string" },
        local: { type: "boolean", default: false },
        "state-dir": { type: "string", default: defaultStateDir },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { ok: false, help: false, error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { ok: false, help: true };
  const problems: string[] = [];
  if (positionals.length === 0) problems.push("name the pod: exec POD -- COMMAND");
  if (positionals.length > 1) {
    problems.push(
      dashes < 0
        ? `the command goes after --: exec ${positionals[0]} -- ${positionals.slice(1).join(" ")}`
        : `one pod only, before --; also given: ${positionals.slice(1).join(", ")}`,
    );
  }
  if (argv.length === 0 && positionals.length <= 1) problems.push("give the command after --: exec POD -- COMMAND [ARGS...]");
  const command = argv.length === 0 ? undefined : aciCommandString(argv);
  if (command !== undefined && !command.ok) problems.push(...command.problems);
  if (problems.length > 0) return { ok: false, help: false, error: problems.join("\n") };
  const text = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  return {
    ok: true,
    options: {
      pod: positionals[0]!,
      stdin: values.stdin === true,
      tty: values.tty === true,
      command: (command as { command: string }).command,
      local: values.local === true,
      stateDir: text(values["state-dir"]) ?? defaultStateDir,
      ...optional("namespace", text(values.namespace)),
      ...optional("container", text(values.container)),
      ...optional("kubeconfig", text(values.kubeconfig)),
      ...optional("context", text(values.context)),
      ...optional("subscription", text(values.subscription)),
      ...optional("aciResourceGroup", text(values["aci-resource-group"])),
    },
  };
}

/** What cannot survive being joined with spaces into ACI's one command string. */
const unfaithful: readonly [{ test(s: string): boolean }, string][] = [
  [/ /, "a space"],
  [/\t/, "a tab"],
  [/[\n\r]/, "a line break"],
  [/["'`]/, "a quote"],
  [/\\/, "a backslash"],
  // Written as a character test, not a regular expression of control characters.
  [{ test: (s: string) => [...s].some((c) => (c.charCodeAt(0) < 0x20 && !"\t\n\r".includes(c)) || c.charCodeAt(0) === 0x7f) }, "a control character"],
];

/**
 * The command and its arguments as ACI's single command string, or why it cannot be: every argument
 * that would not arrive as itself, named by position.
 */
export function aciCommandString(argv: readonly string[]): { readonly ok: true; readonly command: string } | { readonly ok: false; readonly problems: string[] } {
  const problems: string[] = [];
  argv.forEach((arg, i) => {
    const which = i === 0 ? `the command ${JSON.stringify(arg)}` : `argument ${i} (${JSON.stringify(arg)})`;
    if (arg === "") {
      problems.push(`${i === 0 ? "the command" : `argument ${i}`} is empty: ACI's exec takes one command string split at spaces, where an empty argument cannot exist`);
      return;
    }
    const found = unfaithful.filter(([pattern]) => pattern.test(arg)).map(([, name]) => name);
    if (found.length > 0) {
      problems.push(
        `${which} holds ${found.join(" and ")}: ACI's exec takes one command string with no quoting, so it cannot be passed as one argument; start a shell instead (-it -- sh) and type the command there`,
      );
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, command: argv.join(" ") };
}
