// The STATUS column `kubectl get pods` prints for a pod status, as kubernetes/kubernetes's
// pkg/printers/internalversion/printers.go (printPod) derives it, for the fields the translation sets:
// the phase or the pod's reason; then the first init container that has not exited 0 decides
// ("Init:" + its terminated or waiting reason, or "Init:i/N" while it runs or waits PodInitializing);
// once none does, the last container with a waiting or terminated reason. The integration test
// (test/integration/init-containers.test.ts) reads the same column from the real API server's printer.
import type { V1PodStatus } from "@kubernetes/client-node";

export function kubectlStatus(status: V1PodStatus, initContainerCount: number): string {
  let reason = status.reason || status.phase || "";
  const inits = status.initContainerStatuses ?? [];
  for (const [i, c] of inits.entries()) {
    const { terminated, waiting } = c.state ?? {};
    if (terminated?.exitCode === 0) continue;
    if (terminated !== undefined) return `Init:${terminated.reason || `ExitCode:${terminated.exitCode}`}`;
    if (waiting?.reason && waiting.reason !== "PodInitializing") return `Init:${waiting.reason}`;
    return `Init:${i}/${initContainerCount}`;
  }
  let running = false;
  for (const c of [...(status.containerStatuses ?? [])].reverse()) {
    const { terminated, waiting } = c.state ?? {};
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated !== undefined) reason = terminated.reason || `ExitCode:${terminated.exitCode}`;
    else if (c.ready && c.state?.running !== undefined) running = true;
  }
  return reason === "Completed" && running ? "Running" : reason;
}
