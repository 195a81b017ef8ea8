// `aci-connector emulator fault|exit|logs` arguments: what each command line asks the emulator for, and
// one line per bad argument, naming the flag.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseControlArgs, type ControlSubcommand } from "../../../cli/emulator-control-options.js";
import { operationNames } from "../../../dev/emulator/routes.js";

const cases: { description: string; command: ControlSubcommand; args: string[]; expected: ReturnType<typeof parseControlArgs> }[] = [
  {
    description: "evict a pod's Spot group",
    command: "evict",
    args: ["--pod", "batch/job-x7k2p", "--state-dir", "/tmp/run"],
    expected: { kind: "action", stateDir: "/tmp/run", action: { kind: "evict", pod: { namespace: "batch", name: "job-x7k2p" } } },
  },
  {
    description: "a fault until cleared, on every operation, with the status's name as its code; DIR defaults to .local",
    command: "fault",
    args: ["--status", "503"],
    expected: { kind: "action", stateDir: ".local", action: { kind: "fault", fault: { status: 503, code: "ServiceUnavailable" } } },
  },
  {
    description: "a fault for N seconds on one operation, with its own code, message and Retry-After",
    command: "fault",
    args: ["--state-dir", "/tmp/run", "--status", "429", "--code", "SubscriptionRequestsThrottled", "--message", "slow down", "--operation", "containerGroups.get", "--seconds", "1.5", "--retry-after", "30"],
    expected: {
      kind: "action",
      stateDir: "/tmp/run",
      action: { kind: "fault", fault: { status: 429, code: "SubscriptionRequestsThrottled", message: "slow down", operation: "containerGroups.get", seconds: 1.5, retryAfterSeconds: 30 } },
    },
  },
  {
    description: "a fault for the next N requests",
    command: "fault",
    args: ["--status", "403", "--count", "2"],
    expected: { kind: "action", stateDir: ".local", action: { kind: "fault", fault: { status: 403, code: "Forbidden", count: 2 } } },
  },
  { description: "--clear", command: "fault", args: ["--clear"], expected: { kind: "action", stateDir: ".local", action: { kind: "clear" } } },
  {
    description: "exit with the only container, OOM killed",
    command: "exit",
    args: ["--pod", "default/web", "--code", "137", "--oom"],
    expected: { kind: "action", stateDir: ".local", action: { kind: "exit", pod: { namespace: "default", name: "web" }, exit: { exitCode: 137, oomKilled: true } } },
  },
  {
    description: "exit of a named container, code 0",
    command: "exit",
    args: ["--pod", "jobs/batch-1", "--container", "worker", "--code", "0"],
    expected: { kind: "action", stateDir: ".local", action: { kind: "exit", pod: { namespace: "jobs", name: "batch-1" }, container: "worker", exit: { exitCode: 0 } } },
  },
  {
    description: "logs: one log line per line of TEXT; a final newline adds no empty line",
    command: "logs",
    args: ["--pod", "default/web", "--append", "first\nsecond\n"],
    expected: { kind: "action", stateDir: ".local", action: { kind: "logs", pod: { namespace: "default", name: "web" }, lines: ["first", "second"] } },
  },
  { description: "--help", command: "logs", args: ["--help"], expected: { kind: "help" } },
];

const problems: { description: string; command: ControlSubcommand; args: string[]; expected: string[] }[] = [
  { description: "no status", command: "fault", args: [], expected: ["--status is required (e.g. --status 503), or --clear to end every fault"] },
  { description: "a status that is not an error", command: "fault", args: ["--status", "200"], expected: ["--status must be an HTTP error status, 400-599"] },
  { description: "a status that is not a number", command: "fault", args: ["--status", "bad"], expected: ["--status must be an HTTP error status, 400-599"] },
  { description: "an unknown operation, listing the known ones", command: "fault", args: ["--status", "500", "--operation", "containerGroups.fetch"], expected: [`--operation must be one of ${operationNames.join(", ")}`] },
  { description: "seconds and count together", command: "fault", args: ["--status", "500", "--seconds", "5", "--count", "2"], expected: ["--count and --seconds cannot be combined: a fault lasts N requests or N seconds"] },
  { description: "zero seconds", command: "fault", args: ["--status", "500", "--seconds", "0"], expected: ["--seconds must be a number of seconds above 0"] },
  { description: "a fractional count", command: "fault", args: ["--status", "500", "--count", "1.5"], expected: ["--count must be a whole number of requests, 1 or more"] },
  { description: "an empty code", command: "fault", args: ["--status", "500", "--code", ""], expected: ["--code must be a non-empty string"] },
  { description: "--clear with a fault's options", command: "fault", args: ["--clear", "--status", "503", "--seconds", "3"], expected: ["--clear takes no other fault option (got --status, --seconds)"] },
  { description: "an unknown option", command: "fault", args: ["--status", "503", "--forever"], expected: ["Unknown option '--forever'"] },
  { description: "a value left off", command: "exit", args: ["--pod"], expected: ["Option '--pod <value>' argument missing"] },
  { description: "no pod and no code", command: "exit", args: [], expected: ["--pod NAMESPACE/NAME is required", "--code N is required (the container's exit code)"] },
  { description: "a pod without a namespace", command: "exit", args: ["--pod", "web", "--code", "1"], expected: ['--pod must be NAMESPACE/NAME, e.g. default/web (got "web")'] },
  { description: "an exit code that is not a whole number", command: "exit", args: ["--pod", "default/web", "--code", "1.5"], expected: ["--code must be a whole number (a 32-bit exit code)"] },
  { description: "an empty container name", command: "logs", args: ["--pod", "default/web", "--container", "", "--append", "x"], expected: ["--container must name a container"] },
  { description: "no text", command: "logs", args: ["--pod", "default/web"], expected: ["--append TEXT is required (the log lines to add)"] },
  { description: "empty text", command: "logs", args: ["--pod", "default/web", "--append", ""], expected: ["--append must be one or more lines of text"] },
  { description: "evict without a pod", command: "evict", args: [], expected: ["--pod NAMESPACE/NAME is required"] },
  { description: "evict takes no container", command: "evict", args: ["--pod", "default/web", "--container", "app"], expected: ["Unknown option '--container'"] },
  { description: "a stray positional argument", command: "logs", args: ["--pod", "default/web", "--append", "x", "extra"], expected: ["Unexpected argument 'extra'. This command does not take positional arguments"] },
];

describe("aci-connector emulator fault|exit|logs arguments", () => {
  for (const c of cases) {
    it(`reads ${c.command}: ${c.description}`, () => assert.deepEqual(parseControlArgs(c.command, c.args), c.expected));
  }
  for (const p of problems) {
    it(`refuses ${p.command}: ${p.description}, one line each`, () => {
      const parsed = parseControlArgs(p.command, p.args);
      assert.deepEqual(parsed, { kind: "problems", problems: p.expected });
      for (const line of p.expected) assert.doesNotMatch(line, /\n/);
    });
  }
});

describe("aci-connector emulator usage arguments", () => {
  it("reads GROUP CONTAINER and the usage; names every problem under the flags' names", () => {
    assert.deepEqual(parseControlArgs("usage", ["shop-web-0123", "app", "--cpu-millicores", "250", "--memory-bytes", "5e7", "--state-dir", "/tmp/x"]), {
      kind: "action",
      stateDir: "/tmp/x",
      action: { kind: "usage", group: "shop-web-0123", container: "app", usage: { cpuMillicores: 250, memoryBytes: 50_000_000 } },
    });
    assert.deepEqual(parseControlArgs("usage", ["g", "--cpu-millicores=-1", "--memory-bytes", "x"]), {
      kind: "problems",
      problems: [
        "usage takes a container group and a container: usage GROUP CONTAINER (got 1 name)",
        "--cpu-millicores must be a number of millicores, 0 or more (1000 is one core)",
        "--memory-bytes must be a number of bytes, 0 or more",
      ],
    });
    assert.deepEqual(parseControlArgs("usage", ["g", "c"]), { kind: "problems", problems: ["--cpu-millicores N is required", "--memory-bytes N is required"] });
  });
});
