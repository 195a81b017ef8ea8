// `aci-connector emulator --help`: running the emulator, and driving a running one from another terminal.
import { operationNames } from "../dev/emulator/routes.js";
import { defaultStateDir } from "./local-state.js";

export const standaloneStateDir = ".local/emulator";

/** The operation names, wrapped under the --operation option. */
function operationList(indent: string, width = 104): string {
  const lines: string[] = [];
  let line = indent;
  for (const [i, name] of operationNames.entries()) {
    const word = `${name}${i < operationNames.length - 1 ? "," : ""}`;
    if (line.length + word.length + 1 > width && line.trim() !== "") {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

export const emulatorHelp = `Usage: aci-connector emulator [--port N] [--state-dir DIR] [--time-scale X] [--throttling]
       aci-connector emulator fault --state-dir DIR --status S [--code C] [--message M] [--operation OP]
                                    [--retry-after S] [--seconds N | --count N]
       aci-connector emulator fault --state-dir DIR --clear
       aci-connector emulator exit  --state-dir DIR --pod NAMESPACE/NAME [--container C] --code N [--oom]
       aci-connector emulator logs  --state-dir DIR --pod NAMESPACE/NAME [--container C] --append TEXT
       aci-connector emulator usage GROUP CONTAINER --state-dir DIR --cpu-millicores N --memory-bytes N
       aci-connector emulator evict --state-dir DIR --pod NAMESPACE/NAME

Without a sub-command: runs an emulator of Azure Resource Manager for Microsoft.ContainerInstance
(api-version 2023-05-01) on https://127.0.0.1:<port> and stays in the foreground until Ctrl-C. State is
in memory. One emulator (or local run) per state directory: a second one there is refused.

  --port N         port to listen on (default: a free one)
  --state-dir DIR  where emulator.json (endpoint, CA file, subscription, resource group, control
                   endpoint), ca.crt and emulator-control.token go (default ${standaloneStateDir})
  --time-scale X   multiply every simulated duration by X (default 1)
  --throttling     apply ARM's request limits (reads 250/25 per s, writes and deletes 200/10 per s)

fault, exit, logs, usage and evict drive a running emulator from another terminal: the local run's (npm start, state
directory ${defaultStateDir}, the default here) or a standalone one's (pass its --state-dir). They read
DIR/local.json or DIR/emulator.json and the token in DIR/emulator-control.token (mode 0600), and talk
to the emulator's control surface, a listener of its own: never its ARM endpoint.

fault: matching ARM requests answer with an error instead of being served (the request still counts)
  --status S        the HTTP status, 400-599 (required unless --clear)
  --code C          ARM's error code in the body (default: the status's name, e.g. 503 ServiceUnavailable,
                    429 TooManyRequests, 403 Forbidden)
  --message M       the error message (default "An injected fault.")
  --operation OP    only requests of this operation (default: every request); one of
${operationList("                      ")}
  --retry-after S   also send Retry-After: S (seconds), as ARM does on 429
  --seconds N       for N seconds from now (wall-clock, whatever --time-scale)
  --count N         for the next N matching requests
                    (neither: until fault --clear)
  --clear           end every fault

exit: a container of the pod exits; the group's restart policy decides whether ACI starts it again
  --pod NAMESPACE/NAME  the pod; its container group is found by the connector's tags (Namespace,
                        PodName), the newest when the pod was recreated
  --container C         the container (default: the pod's only one; required when it has several),
                        or an init container by name (the one running: the next then starts)
  --code N              its exit code
  --oom                 reported as OOMKilled

logs: lines added to a container's log (what kubectl logs shows)
  --pod, --container    as for exit
  --append TEXT         the text; each of its lines becomes a log line

usage: from now on Azure Monitor's metrics (what kubectl top and an HPA see, a minute or two later)
report this usage for the container, as per-minute averages; before any is set a running container
reports 0
  GROUP CONTAINER       the container group (NAMESPACE-POD-HASH, as the connector names a pod's group)
                        and the container
  --cpu-millicores N    CPU in millicores (1000 is one core)
  --memory-bytes N      memory in bytes

evict: ACI takes the pod's Spot container group back (aci-connector.io/priority: Spot), then restarts it;
the connector then fails the pod as Evicted and deletes the group (docs/emulator.md, "Spot eviction")
  --pod NAMESPACE/NAME  as for exit; a group that is not Spot is refused

Exit codes: 0 done; 2 a bad argument, or a pod or container the emulator does not have; 1 no emulator
recorded in DIR, or it cannot be reached ("is npm start running?"), or it refused (e.g. a container
that is not running yet).
`;
