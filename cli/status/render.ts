// The status report as one screen of text. Pure; the numbers' meanings are in the README's
// "Operating it" section.
import type { Figure, StatusReport } from "./report.js";

export function renderStatus(report: StatusReport): string {
  const out: string[] = [];
  const { connector } = report;
  out.push(`aci-connector status: connector ${connector.name} in ${connector.location}, at ${report.at}`);

  out.push("", "VIRTUAL NODES");
  out.push(
    ...table(
      ["NODE", "READY", "ACI", "TAINT", "LEASE", "CPU", "MEMORY", "PODS"],
      report.nodes.map((n) =>
        n.registered
          ? [
              n.name,
              n.ready?.status ?? "-",
              n.aciAvailable?.status ?? "-",
              n.aciUnavailableTaint ? "NoSchedule" : "-",
              n.leaseAgeSeconds === undefined ? "none" : `${n.leaseAgeSeconds}s ago`,
              usage(n.capacity.cpuCores, (v) => String(v)),
              usage(n.capacity.memoryBytes, gib),
              usage(n.capacity.pods, (v) => String(v)),
            ]
          : [n.name, "not registered", "", "", "", "", "", ""],
      ),
    ),
  );
  for (const n of report.nodes) {
    if (n.aciAvailable !== undefined && n.aciAvailable.status !== "True") out.push(`  ${n.name}: ACI unavailable (${n.aciAvailable.reason ?? "no reason"}): ${n.aciAvailable.message ?? ""}`);
    if (n.ready !== undefined && n.ready.status !== "True") out.push(`  ${n.name}: not Ready (${n.ready.reason ?? "no reason"}): ${n.ready.message ?? ""}`);
  }

  out.push("", `PODS ON THE VIRTUAL NODES: ${report.pods.total}`);
  out.push(...indent(table(["PHASE", "REASON", "COUNT"], report.pods.byPhaseAndReason.map((r) => [r.phase, r.reason === "" ? "-" : r.reason, String(r.count)]))));

  const groups = report.containerGroups;
  if ("error" in groups) out.push("", `CONTAINER GROUPS: not listed: ${groups.error}`);
  else {
    out.push("", `CONTAINER GROUPS: ${groups.total} (by ARM provisioning state)`);
    out.push(...indent(table(["STATE", "COUNT"], Object.entries(groups.byState).sort().map(([s, c]) => [s, String(c)]))));
  }

  out.push("", `ORPHANS (a group whose pod no longer exists): ${report.orphans.length}`);
  for (const o of report.orphans) out.push(`  ${o.group} (${o.state}): pod ${o.pod.namespace}/${o.pod.name} uid ${o.pod.uid} on ${o.pod.node}`);

  out.push("", `STUCK PODS: ${report.stuck.length}`);
  for (const s of report.stuck) {
    const what = s.why === "terminating" ? `terminating ${s.forSeconds}s past its deletion time` : `${s.phase} with no container group for ${s.forSeconds}s`;
    out.push(`  ${s.namespace}/${s.name} on ${s.node}: ${what}${s.reason === "" ? "" : `, ${s.reason}`}${s.message === undefined ? "" : `: ${s.message}`}`);
  }

  out.push("", "CONNECTOR");
  const { arm, lastTick, staleness } = report;
  if (lastTick === undefined) out.push("  Last reconcile: nothing published yet (no reconcile tick has run)");
  else {
    const errors = lastTick.errors === 0 ? "" : `, ${lastTick.errors} error${lastTick.errors === 1 ? "" : "s"}, first: ${lastTick.firstError ?? ""}`;
    const overdue = lastTick.overdue ? " (OVERDUE: reconcile publishes at least once a minute; is it running?)" : "";
    out.push(`  Last reconcile published ${lastTick.ageSeconds}s ago${overdue}: ${lastTick.outcome}, took ${lastTick.durationMs} ms, ${lastTick.pods} pods, ${lastTick.groups} groups${errors}`);
  }
  if (arm !== undefined) {
    const minutes = `${Math.round(arm.windowSeconds / 6) / 10} min`;
    const remaining = arm.remainingReads === undefined ? "" : `; ARM says ${arm.remainingReads} reads remain in its bucket`;
    out.push(`  ARM in the ${minutes} before that tick: ${arm.reads} reads of a budget of ${arm.readBudget}, ${arm.writes} writes and ${arm.deletes} deletes of ${arm.writeLimit} each${remaining}`);
  }
  if (staleness !== undefined) {
    const worst = staleness.unknown ? "unknown (the last tick had no read left for running pods)" : `${staleness.worstSeconds}s`;
    out.push(`  Status staleness: a running pod's status is re-read at least every ${worst}`);
  }
  return `${out.join("\n")}\n`;
}

function usage(figure: Figure, format: (value: number) => string): string {
  return `${format(figure.used)}/${figure.allocatable === undefined ? "?" : format(figure.allocatable)}`;
}

function gib(bytes: number): string {
  const g = bytes / 2 ** 30;
  return `${g >= 100 ? Math.round(g) : Math.round(g * 10) / 10}Gi`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`);
