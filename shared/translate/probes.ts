// Liveness and readiness probes: ACI runs exec and httpGet probes. Anything else is refused rather than
// dropped, so a pod never runs without the health checks its author relies on.
import type { V1Container, V1Probe } from "@kubernetes/client-node";
import type { ArmProbe } from "./arm-types.js";
import { quoted, type ProblemList } from "./problems.js";

export function translateProbe(probe: V1Probe | undefined, container: V1Container, path: string, problems: ProblemList): ArmProbe | undefined {
  if (probe === undefined) return undefined;
  const timing = {
    ...(probe.initialDelaySeconds !== undefined && { initialDelaySeconds: probe.initialDelaySeconds }),
    ...(probe.periodSeconds !== undefined && { periodSeconds: probe.periodSeconds }),
    ...(probe.failureThreshold !== undefined && { failureThreshold: probe.failureThreshold }),
    ...(probe.successThreshold !== undefined && { successThreshold: probe.successThreshold }),
    ...(probe.timeoutSeconds !== undefined && { timeoutSeconds: probe.timeoutSeconds }),
  };
  if (probe.exec !== undefined) {
    // The API server refuses an exec probe without a command (validateExecAction); ACI would get an empty one.
    const command = probe.exec.command ?? [];
    if (command.length === 0) problems.add(`${path}.exec.command`, "is required");
    return { exec: { command }, ...timing };
  }
  if (probe.httpGet !== undefined) {
    const named = probe.httpGet.port as number | string | undefined;
    const port = named === undefined ? undefined : resolvePort(named, container);
    if (port === undefined || !(port >= 1 && port <= 65535)) {
      problems.add(`${path}.httpGet.port`, named === undefined ? "is required" : port === undefined ? `no container port is named ${quoted(named)}` : "must be a port number from 1 to 65535");
      return undefined;
    }
    if (probe.httpGet.host !== undefined) problems.add(`${path}.httpGet.host`, "ACI probes the container itself; another host cannot be set");
    probe.httpGet.httpHeaders?.forEach((h, i) => {
      if (!h.name) problems.add(`${path}.httpGet.httpHeaders[${i}].name`, "is required");
    });
    return {
      httpGet: {
        ...(probe.httpGet.path !== undefined && { path: probe.httpGet.path }),
        port,
        ...(probe.httpGet.scheme !== undefined && { scheme: probe.httpGet.scheme.toLowerCase() === "https" ? "https" : "http" }),
        ...(probe.httpGet.httpHeaders !== undefined && { httpHeaders: probe.httpGet.httpHeaders.map((h) => ({ name: h.name, value: h.value ?? "" })) }),
      },
      ...timing,
    };
  }
  const kind = probe.tcpSocket !== undefined ? "tcpSocket" : probe.grpc !== undefined ? "grpc" : undefined;
  if (kind === undefined) problems.add(path, "ACI runs exec and httpGet probes only; this probe has neither");
  else problems.add(`${path}.${kind}`, `ACI runs exec and httpGet probes only; ${kind} probes cannot be expressed`);
  return undefined;
}

function resolvePort(port: number | string, container: V1Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}
