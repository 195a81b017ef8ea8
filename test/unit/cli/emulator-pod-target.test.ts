// Which group and container `--pod NAMESPACE/NAME [--container C]` means, among the emulator's groups.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podTarget } from "../../../cli/emulator-pod-target.js";
import type { GroupSummary } from "../../../dev/emulator/index.js";
import { containerGroupTags } from "../../../shared/translate/naming.js";

function group(name: string, pod: { namespace: string; name: string; uid: string }, createdAt: string, containers: string[], initContainers: string[] = []): GroupSummary {
  const tags = containerGroupTags({ ...pod, node: "virtual-kubelet-aci-connector-linux-westeurope", connector: "aci-connector", clusterId: "6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b2c", creationTimestamp: createdAt });
  return { name, tags, createdAt, containers, initContainers };
}

const web = { namespace: "default", name: "web" };
const groups: GroupSummary[] = [
  group("default-web-old", { ...web, uid: "uid-1" }, "2025-01-01T10:00:00.000Z", ["app"]),
  group("default-web-new", { ...web, uid: "uid-2" }, "2025-01-01T10:05:00.000Z", ["app"]),
  group("other-web", { namespace: "other", name: "web", uid: "uid-3" }, "2025-01-01T10:10:00.000Z", ["app"]),
  group("default-sidecars", { namespace: "default", name: "sidecars", uid: "uid-4" }, "2025-01-01T10:00:00.000Z", ["app", "proxy"]),
  group("default-migrated", { namespace: "default", name: "migrated", uid: "uid-5" }, "2025-01-01T10:00:00.000Z", ["app"], ["migrate"]),
  // An untagged group (not the connector's) is never a pod's.
  { name: "hand-made", tags: {}, createdAt: "2025-01-01T11:00:00.000Z", containers: ["app"], initContainers: [] },
];

const table: { description: string; pod: { namespace: string; name: string }; container?: string; expected: ReturnType<typeof podTarget> }[] = [
  { description: "a recreated pod: the newest of its groups, its only container", pod: web, expected: { group: "default-web-new", container: "app" } },
  { description: "the same name in another namespace is another pod", pod: { namespace: "other", name: "web" }, expected: { group: "other-web", container: "app" } },
  { description: "a named container", pod: { namespace: "default", name: "sidecars" }, container: "proxy", expected: { group: "default-sidecars", container: "proxy" } },
  {
    description: "several containers and none named: they are listed",
    pod: { namespace: "default", name: "sidecars" },
    expected: { problem: "pod default/sidecars has several containers (app, proxy): name one with --container" },
  },
  {
    description: "a container the pod does not have: its containers are listed",
    pod: web,
    container: "sidecar",
    expected: { problem: 'pod default/web has no container "sidecar"; its containers: app' },
  },
  { description: "an init container, by name", pod: { namespace: "default", name: "migrated" }, container: "migrate", expected: { group: "default-migrated", container: "migrate" } },
  { description: "init containers and none named: the only container, not an init container", pod: { namespace: "default", name: "migrated" }, expected: { group: "default-migrated", container: "app" } },
  {
    description: "a container the pod does not have: its containers and init containers are listed",
    pod: { namespace: "default", name: "migrated" },
    container: "seed",
    expected: { problem: 'pod default/migrated has no container "seed"; its containers: app; its init containers: migrate' },
  },
  {
    description: "a pod without a group",
    pod: { namespace: "default", name: "hand-made" },
    expected: { problem: "no container group of pod default/hand-made (tags Namespace=default, PodName=hand-made): is it scheduled on a virtual node, and has the connector created its group yet?" },
  },
];

describe("aci-connector emulator --pod: finding the pod's group", () => {
  for (const c of table) {
    it(c.description, () => assert.deepEqual(podTarget(groups, c.pod, c.container), c.expected));
  }
});
