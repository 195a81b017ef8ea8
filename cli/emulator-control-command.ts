// `aci-connector emulator fault|exit|logs|usage|evict`: one control action against a running emulator, found through
// its state directory. Prints one line of what was done, or one line per problem; never the token.
import { controlPaths, type FaultRequest } from "../dev/emulator/control-protocol.js";
import type { GroupSummary } from "../dev/emulator/index.js";
import { callControl, ControlRefusedError, EmulatorUnreachableError } from "./emulator-control-client.js";
import { parseControlArgs, type ControlAction, type ControlSubcommand } from "./emulator-control-options.js";
import { emulatorHelp } from "./emulator-help.js";
import { podGroupOf, podTarget } from "./emulator-pod-target.js";
import { NoEmulatorRecordedError, readEmulatorControlAccess, type EmulatorControlAccess } from "./emulator-state.js";

const exitCodes = { done: 0, unavailable: 1, badArgument: 2 } as const;

/** A problem with what the user asked for, found only by asking the emulator (a pod it does not have). */
class TargetProblem extends Error {}

export async function runControlCommand(subcommand: ControlSubcommand, args: readonly string[]): Promise<number> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const complain = (line: string) => process.stderr.write(`aci-connector emulator ${subcommand}: ${line}\n`);
  const parsed = parseControlArgs(subcommand, args);
  if (parsed.kind === "help") return (process.stdout.write(emulatorHelp), exitCodes.done);
  if (parsed.kind === "problems") {
    for (const problem of parsed.problems) complain(problem);
    return exitCodes.badArgument;
  }
  try {
    const access = await readEmulatorControlAccess(parsed.stateDir);
    say(await perform(access, parsed.action));
    return exitCodes.done;
  } catch (error) {
    if (error instanceof TargetProblem) return (complain(error.message), exitCodes.badArgument);
    if (error instanceof NoEmulatorRecordedError) return (complain(error.message), exitCodes.unavailable);
    if (error instanceof EmulatorUnreachableError) return (complain(`${error.message}: is npm start running?`), exitCodes.unavailable);
    if (error instanceof ControlRefusedError) {
      if (error.status === 401 || error.status === 403) {
        return (complain(`the emulator refused the control token in ${parsed.stateDir} (${error.status}): is that directory another run's?`), exitCodes.unavailable);
      }
      return (complain(`the emulator refused: ${error.message}`), error.status === 400 ? exitCodes.badArgument : exitCodes.unavailable);
    }
    throw error;
  }
}

async function perform(access: EmulatorControlAccess, action: ControlAction): Promise<string> {
  switch (action.kind) {
    case "clear":
      await callControl(access, "DELETE", controlPaths.faults);
      return "faults cleared: every request is served again";
    case "fault":
      await callControl(access, "POST", controlPaths.faults, action.fault);
      return `fault set: ${describeFault(action.fault)}`;
    case "usage": {
      await callControl(access, "POST", controlPaths.usage(action.group, action.container), action.usage);
      return `container ${action.container} of group ${action.group}: Azure Monitor reports ${action.usage.cpuMillicores} millicores and ${action.usage.memoryBytes} bytes from now on (per-minute averages)`;
    }
    case "evict": {
      const group = podGroupOf((await callControl(access, "GET", controlPaths.groups)) as GroupSummary[], action.pod);
      if ("problem" in group) throw new TargetProblem(group.problem);
      await callControl(access, "POST", controlPaths.evict(group.name));
      return `Spot container group ${group.name} of pod ${action.pod.namespace}/${action.pod.name} evicted (ACI restarts it; the connector fails the pod as Evicted)`;
    }
    case "exit":
    case "logs": {
      const groups = (await callControl(access, "GET", controlPaths.groups)) as GroupSummary[];
      const target = podTarget(groups, action.pod, action.container);
      if ("problem" in target) throw new TargetProblem(target.problem);
      const where = `container ${target.container} of pod ${action.pod.namespace}/${action.pod.name} (group ${target.group})`;
      if (action.kind === "exit") {
        await callControl(access, "POST", controlPaths.exit(target.group, target.container), action.exit);
        return `${where} exited with code ${action.exit.exitCode}${action.exit.oomKilled === true ? ", OOM killed" : ""}`;
      }
      await callControl(access, "POST", controlPaths.logs(target.group, target.container), { lines: action.lines });
      return `${where}: ${action.lines.length} log line${action.lines.length === 1 ? "" : "s"} appended`;
    }
  }
}

function describeFault(fault: FaultRequest): string {
  const requests = fault.operation === undefined ? "all requests" : `${fault.operation} requests`;
  const retry = fault.retryAfterSeconds === undefined ? "" : ` with Retry-After ${fault.retryAfterSeconds}`;
  const lasting =
    fault.count !== undefined ? `for the next ${fault.count} request${fault.count === 1 ? "" : "s"}` : fault.seconds !== undefined ? `for ${fault.seconds} s` : "until aci-connector emulator fault --clear";
  return `${requests} answer ${fault.status} ${fault.code ?? ""}${retry}, ${lasting}`;
}
