// Timer: renew the virtual nodes' Leases and post their status (see shared/controller/heartbeat.ts).
import { app, type InvocationContext, type Timer } from "@azure/functions";
import { heartbeatFailure, runHeartbeat } from "../shared/controller/heartbeat.js";
import { connectorDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function heartbeat(_timer: Timer, context: InvocationContext): Promise<void> {
  const deps = await connectorDependencies(invocationLogger(context));
  const { timeoutMs, leaseTimeoutMs, armProbeTimeoutMs } = triggers.heartbeat;
  // Its own short deadline: a slow API server must not make the next tick wait (timers run as singletons).
  const report = await runHeartbeat(deps, { abortSignal: AbortSignal.timeout(timeoutMs), leaseTimeoutMs, armProbeTimeoutMs });
  const failure = heartbeatFailure(report);
  if (failure !== undefined) throw failure;
}

app.timer("heartbeat", { schedule: triggers.heartbeat.schedule, handler: heartbeat });
