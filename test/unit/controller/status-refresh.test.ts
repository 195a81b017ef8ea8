// How stale a running pod's status can be, published on the virtual nodes: written when it changes,
// never failing the tick, and written again after a node missed it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusRefreshAnnotation, statusRefreshPublisher } from "../../../shared/controller/status-refresh.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import type { Logger } from "../../../shared/runtime/logger.js";

function nodes(names: string[], failing = new Set<string>()) {
  const annotations = new Map<string, Record<string, string>>(names.map((n) => [n, {}]));
  const patches: string[] = [];
  const client = (name: string) =>
    ({
      patchNodeAnnotations: (_n: string, changes: Readonly<Record<string, string | null>>) => {
        patches.push(name);
        if (failing.has(name)) return Promise.reject(new Error("connect ECONNREFUSED"));
        Object.assign(annotations.get(name)!, changes);
        return Promise.resolve();
      },
    }) as unknown as NodeClient;
  const warnings: string[] = [];
  const log: Logger = { info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined };
  const publisher = statusRefreshPublisher({ nodes: () => names.map((name) => ({ name, client: client(name) })), log: () => log });
  return { publisher, annotations, patches, warnings, failing };
}

describe("the published status refresh time", () => {
  it("is written on every node in seconds, and not again while it stays the same", async () => {
    const w = nodes(["linux", "windows"]);
    await w.publisher.publish(45);
    assert.deepEqual([...w.annotations.values()].map((a) => a[statusRefreshAnnotation]), ["45", "45"]);
    await w.publisher.publish(45);
    assert.equal(w.patches.length, 2);
    await w.publisher.publish(60);
    assert.deepEqual([...w.annotations.values()].map((a) => a[statusRefreshAnnotation]), ["60", "60"]);
  });

  it('says "unknown" when the last tick had no read left for running pods', async () => {
    const w = nodes(["linux"]);
    await w.publisher.publish(undefined);
    assert.equal(w.annotations.get("linux")![statusRefreshAnnotation], "unknown");
  });

  it("warns and goes on when a node cannot be written, and writes it again next time", async () => {
    const w = nodes(["linux", "windows"], new Set(["linux"]));
    await w.publisher.publish(30);
    assert.equal(w.annotations.get("windows")![statusRefreshAnnotation], "30");
    assert.equal(w.warnings.length, 1);
    w.failing.clear();
    await w.publisher.publish(30);
    assert.equal(w.annotations.get("linux")![statusRefreshAnnotation], "30");
  });
});
