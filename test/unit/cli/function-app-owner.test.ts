// install refuses to take over a Function App that serves another cluster's connector of the same name.
// The Azure CLI cannot run here: the answers below are what `az` prints for these queries.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AzRunner } from "../../../cli/az.js";
import { refuseForeignFunctionApp } from "../../../cli/function-app-owner.js";

const check = { subscriptionId: "11111111-2222-3333-4444-555555555555", connectorName: "virtual-kubelet", clusterId: "c1a55e00-0000-4000-8000-000000000001", apiServer: "https://one.hcp.eastus.azmk8s.io:443" };

function az(answers: { exists: boolean; settings?: Record<string, string> }): { run: AzRunner; calls: string[][] } {
  const calls: string[][] = [];
  const run: AzRunner = (args) => {
    calls.push([...args]);
    if (args[0] === "group") return Promise.resolve(String(answers.exists));
    if (args[1] === "list") return Promise.resolve(answers.settings === undefined ? "" : "func-abc123");
    return Promise.resolve(JSON.stringify(Object.entries(answers.settings ?? {}).map(([name, value]) => ({ name, value, slotSetting: false }))));
  };
  return { run, calls };
}

describe("install's check of the Function App's cluster", () => {
  it("goes ahead when there is no Function App yet", async () => {
    const { run, calls } = az({ exists: false });
    await refuseForeignFunctionApp(check, run);
    assert.deepEqual(calls, [["group", "exists", "--name", "rg-aci-connector-virtual-kubelet", "--subscription", check.subscriptionId]]);
  });

  it("goes ahead when the Function App serves this cluster (a repeated install)", async () => {
    await refuseForeignFunctionApp(check, az({ exists: true, settings: { ACI_CONNECTOR_CLUSTER_ID: check.clusterId, KUBE_API_SERVER: check.apiServer } }).run);
  });

  it("refuses, naming both clusters and what to do, when it serves another cluster", async () => {
    await assert.rejects(
      refuseForeignFunctionApp(check, az({ exists: true, settings: { ACI_CONNECTOR_CLUSTER_ID: "0ther000-0000-4000-8000-000000000002", KUBE_API_SERVER: "https://two.hcp.eastus.azmk8s.io:443" } }).run),
      /Function App func-abc123 .* already serves connector "virtual-kubelet" of another cluster \(cluster 0ther000-.*\); this cluster is c1a55e00-.*Choose another --connector-name/,
    );
  });

  it("tells an older install's cluster by its API server", async () => {
    await assert.rejects(refuseForeignFunctionApp(check, az({ exists: true, settings: { KUBE_API_SERVER: "https://two.hcp.eastus.azmk8s.io:443" } }).run), /another cluster \(https:\/\/two/);
    await refuseForeignFunctionApp(check, az({ exists: true, settings: { KUBE_API_SERVER: check.apiServer } }).run);
  });
});
