// The arguments of `aci-connector emulator fault|exit|logs|usage|evict`, read into one control action, or every
// problem with them, one line each. The rules on values are the control surface's own
// (control-protocol.ts), reported under the flags' names.
import { STATUS_CODES } from "node:http";
import { parseArgs } from "node:util";
import { exitProblems, faultProblems, logsProblems, usageProblems, type ExitRequest, type FaultRequest, type UsageRequest } from "../dev/emulator/control-protocol.js";
import { defaultStateDir } from "./local-state.js";

export const controlSubcommands = ["fault", "exit", "logs", "usage", "evict"] as const;
export type ControlSubcommand = (typeof controlSubcommands)[number];

export function isControlSubcommand(value: string | undefined): value is ControlSubcommand {
  return (controlSubcommands as readonly (string | undefined)[]).includes(value);
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

export type ControlAction =
  | { readonly kind: "fault"; readonly fault: FaultRequest }
  | { readonly kind: "clear" }
  | { readonly kind: "exit"; readonly pod: PodRef; readonly container?: string; readonly exit: ExitRequest }
  | { readonly kind: "logs"; readonly pod: PodRef; readonly container?: string; readonly lines: readonly string[] }
  | { readonly kind: "usage"; readonly group: string; readonly container: string; readonly usage: UsageRequest }
  | { readonly kind: "evict"; readonly pod: PodRef };

export type ParsedControlArgs =
  | { readonly kind: "help" }
  | { readonly kind: "problems"; readonly problems: readonly string[] }
  | { readonly kind: "action"; readonly stateDir: string; readonly action: ControlAction };

const common = {
  "state-dir": { type: "string", default: defaultStateDir },
  help: { type: "boolean", short: "h" },
} as const;

const optionsOf = {
  fault: {
    ...common,
    status: { type: "string" },
    code: { type: "string" },
    message: { type: "string" },
    operation: { type: "string" },
    seconds: { type: "string" },
    count: { type: "string" },
    "retry-after": { type: "string" },
    clear: { type: "boolean" },
  },
  exit: { ...common, pod: { type: "string" }, container: { type: "string" }, code: { type: "string" }, oom: { type: "boolean" } },
  logs: { ...common, pod: { type: "string" }, container: { type: "string" }, append: { type: "string" } },
  usage: { ...common, "cpu-millicores": { type: "string" }, "memory-bytes": { type: "string" } },
  evict: { ...common, pod: { type: "string" } },
} as const;

/** The request fields' flags, so the control surface's rules speak of what the user typed. */
const flagOf: Record<ControlSubcommand, Record<string, string>> = {
  fault: { status: "--status", code: "--code", message: "--message", operation: "--operation", count: "--count", seconds: "--seconds", retryAfterSeconds: "--retry-after" },
  exit: { exitCode: "--code", oomKilled: "--oom" },
  logs: { lines: "--append" },
  usage: { cpuMillicores: "--cpu-millicores", memoryBytes: "--memory-bytes" },
  evict: {},
};

const number = (value: string | undefined) => (value === undefined ? undefined : value.trim() === "" ? Number.NaN : Number(value));

/** ARM answers with a code word; by default the status's own name: 503 → ServiceUnavailable. */
export function defaultFaultCode(status: number): string {
  return (STATUS_CODES[status] ?? "Error").replace(/[^A-Za-z0-9]/g, "");
}

export function parseControlArgs(subcommand: ControlSubcommand, args: readonly string[]): ParsedControlArgs {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    // usage names its container group and container: GROUP CONTAINER.
    ({ values, positionals } = parseArgs({ args: [...args], options: optionsOf[subcommand], allowPositionals: subcommand === "usage" }) as { values: typeof values; positionals: string[] });
  } catch (error) {
    return { kind: "problems", problems: [(error as Error).message] };
  }
  if (values.help === true) return { kind: "help" };
  const stateDir = values["state-dir"] as string;
  const name = (field: string) => flagOf[subcommand][field] ?? field;
  const str = (flag: string) => values[flag] as string | undefined;

  if (subcommand === "fault") {
    if (values.clear === true) {
      const others = Object.keys(optionsOf.fault).filter((f) => f !== "clear" && f !== "state-dir" && f !== "help" && values[f] !== undefined);
      return others.length > 0 ? { kind: "problems", problems: [`--clear takes no other fault option (got ${others.map((f) => `--${f}`).join(", ")})`] } : { kind: "action", stateDir, action: { kind: "clear" } };
    }
    if (str("status") === undefined) return { kind: "problems", problems: ["--status is required (e.g. --status 503), or --clear to end every fault"] };
    const status = number(str("status"))!;
    const fault = {
      status,
      code: str("code") ?? (Number.isInteger(status) ? defaultFaultCode(status) : undefined),
      ...(str("message") !== undefined && { message: str("message") }),
      ...(str("operation") !== undefined && { operation: str("operation") }),
      ...(str("count") !== undefined && { count: number(str("count")) }),
      ...(str("seconds") !== undefined && { seconds: number(str("seconds")) }),
      ...(str("retry-after") !== undefined && { retryAfterSeconds: number(str("retry-after")) }),
    };
    const problems = faultProblems(fault, name);
    return problems.length > 0 ? { kind: "problems", problems } : { kind: "action", stateDir, action: { kind: "fault", fault: fault as FaultRequest } };
  }

  if (subcommand === "usage") {
    const problems: string[] = [];
    if (positionals.length !== 2 || positionals.some((p) => p === "")) problems.push(`usage takes a container group and a container: usage GROUP CONTAINER (got ${positionals.length} name${positionals.length === 1 ? "" : "s"})`);
    for (const flag of ["cpu-millicores", "memory-bytes"]) if (str(flag) === undefined) problems.push(`--${flag} N is required`);
    const usage = { cpuMillicores: number(str("cpu-millicores")), memoryBytes: number(str("memory-bytes")) };
    if (str("cpu-millicores") !== undefined && str("memory-bytes") !== undefined) problems.push(...usageProblems(usage, name));
    return problems.length > 0 ? { kind: "problems", problems } : { kind: "action", stateDir, action: { kind: "usage", group: positionals[0]!, container: positionals[1]!, usage: usage as UsageRequest } };
  }

  const problems: string[] = [];
  const podText = str("pod");
  const pod = /^(?<namespace>[^/\s]+)\/(?<name>[^/\s]+)$/.exec(podText ?? "")?.groups as PodRef | undefined;
  if (podText === undefined) problems.push("--pod NAMESPACE/NAME is required");
  else if (pod === undefined) problems.push(`--pod must be NAMESPACE/NAME, e.g. default/web (got "${podText}")`);
  const container = str("container");
  if (container === "") problems.push("--container must name a container");
  const target = { pod: { namespace: pod?.namespace ?? "", name: pod?.name ?? "" }, ...(container !== undefined && { container }) };

  if (subcommand === "evict") return problems.length > 0 ? { kind: "problems", problems } : { kind: "action", stateDir, action: { kind: "evict", pod: target.pod } };

  if (subcommand === "exit") {
    if (str("code") === undefined) problems.push("--code N is required (the container's exit code)");
    const exit = { exitCode: number(str("code")), ...(values.oom === true && { oomKilled: true }) };
    if (str("code") !== undefined) problems.push(...exitProblems(exit, name));
    return problems.length > 0 ? { kind: "problems", problems } : { kind: "action", stateDir, action: { kind: "exit", ...target, exit: exit as ExitRequest } };
  }

  const text = str("append");
  if (text === undefined) problems.push("--append TEXT is required (the log lines to add)");
  // One line per line of TEXT; a final newline ends the last line rather than adding an empty one.
  const lines = text === undefined || text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  if (text !== undefined) problems.push(...logsProblems({ lines }, name));
  return problems.length > 0 ? { kind: "problems", problems } : { kind: "action", stateDir, action: { kind: "logs", ...target, lines } };
}
