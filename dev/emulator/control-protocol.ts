// The control surface's wire contract, shared by its server (control-server.ts) and its client (the
// `aci-connector emulator fault|exit|logs` commands): paths, bodies, and the rules a request must meet.
// The rules name their fields through a function, so the CLI can say "--status" where the server says
// "status" without a second copy of them.
import type { FaultSpec } from "./faults.js";
import { operationNames, type OperationName } from "./routes.js";

/** What a fault request may set: an error answer (no delays or dropped connections from outside). */
export const faultRequestFields = ["status", "code", "message", "operation", "count", "seconds", "retryAfterSeconds"] as const;
export type FaultRequest = Pick<FaultSpec, (typeof faultRequestFields)[number]> & { readonly status: number };

export interface ExitRequest {
  readonly exitCode: number;
  readonly oomKilled?: boolean;
}

export interface LogsRequest {
  readonly lines: readonly string[];
}

/** A container's usage as Azure Monitor will report it from now on (AciEmulatorControl.setUsage). */
export interface UsageRequest {
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
}

export const controlPaths = {
  /** GET: every group (GroupSummary[]), to find a pod's group by its tags. */
  groups: "/groups",
  /** POST a FaultRequest; DELETE clears every fault. */
  faults: "/faults",
  /** POST an ExitRequest. */
  exit: (group: string, container: string) => `/groups/${encodeURIComponent(group)}/containers/${encodeURIComponent(container)}/exit`,
  /** POST a LogsRequest. */
  logs: (group: string, container: string) => `/groups/${encodeURIComponent(group)}/containers/${encodeURIComponent(container)}/logs`,
  /** POST, no body: ACI evicts the Spot group (and restarts it). */
  evict: (group: string) => `/groups/${encodeURIComponent(group)}/evict`,
  /** POST a UsageRequest. */
  usage: (group: string, container: string) => `/groups/${encodeURIComponent(group)}/containers/${encodeURIComponent(container)}/usage`,
} as const;

type Namer = (field: string) => string;
const asIs: Namer = (field) => field;
const isInteger = (v: unknown, min: number, max: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const isPositive = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v > 0;

function isOperationName(value: unknown): value is OperationName {
  return (operationNames as readonly unknown[]).includes(value);
}

/** Every problem of a fault request, one line each; none when it is valid. */
export function faultProblems(request: Record<string, unknown>, name: Namer = asIs): string[] {
  const problems: string[] = [];
  if (!isInteger(request.status, 400, 599)) problems.push(`${name("status")} must be an HTTP error status, 400-599`);
  for (const field of ["code", "message"] as const) {
    if (request[field] !== undefined && (typeof request[field] !== "string" || request[field] === "")) problems.push(`${name(field)} must be a non-empty string`);
  }
  if (request.operation !== undefined && !isOperationName(request.operation)) problems.push(`${name("operation")} must be one of ${operationNames.join(", ")}`);
  if (request.count !== undefined && !isInteger(request.count, 1, Number.MAX_SAFE_INTEGER)) problems.push(`${name("count")} must be a whole number of requests, 1 or more`);
  if (request.seconds !== undefined && !isPositive(request.seconds)) problems.push(`${name("seconds")} must be a number of seconds above 0`);
  if (request.count !== undefined && request.seconds !== undefined) problems.push(`${name("count")} and ${name("seconds")} cannot be combined: a fault lasts N requests or N seconds`);
  if (request.retryAfterSeconds !== undefined && !isInteger(request.retryAfterSeconds, 0, 86_400)) problems.push(`${name("retryAfterSeconds")} must be a whole number of seconds, 0-86400`);
  return problems;
}

/** Kubernetes reports a container's exit code as an int32. */
export function exitProblems(request: Record<string, unknown>, name: Namer = asIs): string[] {
  const problems: string[] = [];
  if (!isInteger(request.exitCode, -(2 ** 31), 2 ** 31 - 1)) problems.push(`${name("exitCode")} must be a whole number (a 32-bit exit code)`);
  if (request.oomKilled !== undefined && typeof request.oomKilled !== "boolean") problems.push(`${name("oomKilled")} must be true or false`);
  return problems;
}

export function logsProblems(request: Record<string, unknown>, name: Namer = asIs): string[] {
  const lines = request.lines;
  return Array.isArray(lines) && lines.length > 0 && lines.every((l) => typeof l === "string") ? [] : [`${name("lines")} must be one or more lines of text`];
}

/** Usage is a non-negative amount: millicores (1000 = one core) and bytes. */
export function usageProblems(request: Record<string, unknown>, name: Namer = asIs): string[] {
  const problems: string[] = [];
  const amount = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (!amount(request.cpuMillicores)) problems.push(`${name("cpuMillicores")} must be a number of millicores, 0 or more (1000 is one core)`);
  if (!amount(request.memoryBytes)) problems.push(`${name("memoryBytes")} must be a number of bytes, 0 or more`);
  return problems;
}
