// ACI's hard limits at their edges, the same in every region. From "Resource availability & quota limits
// for ACI" (https://learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits):
// "Ports per IP: 5". At the limit a pod translates; just past it, it is refused, naming the field. A
// group's CPU and memory depend on the region: region-capabilities.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ContainerPort, V1Pod } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../../../shared/translate/problems.js";
import { configMaps, container, linuxNode, podFrom, secrets, settings } from "./realistic-pods.js";

function outcome(pod: V1Pod): { translated: true } | { refused: string[] } {
  try {
    podToContainerGroup({ pod, references: { secrets, configMaps }, node: linuxNode, settings });
    return { translated: true };
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return { refused: error.problems.map((p) => p.path) };
  }
}

const exposing = (count: number) => {
  const ports: V1ContainerPort[] = Array.from({ length: count }, (_, i) => ({ containerPort: 8000 + i }));
  return podFrom({ containers: [container({ ports })] });
};
const tooManyPorts = { refused: ["spec.containers[*].ports"] };

describe("ACI's hard limits on a group, at their edges", () => {
  const cases: [string, V1Pod, unknown][] = [
    ["5 ports on the group's IP", exposing(5), { translated: true }],
    ["6 ports on the group's IP", exposing(6), tooManyPorts],
    // The same port and protocol in two containers is one port on the IP.
    ["5 distinct ports among 6 declared", podFrom({ containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 81 }, { containerPort: 82 }] }), container({ name: "b", ports: [{ containerPort: 80 }, { containerPort: 83 }, { containerPort: 84 }] })] }), { translated: true }],
    ["the same number over TCP and UDP: two ports", podFrom({ containers: [container({ ports: [80, 81, 82, 83, 84].map((p) => ({ containerPort: p })).concat([{ containerPort: 84, protocol: "UDP" } as V1ContainerPort]) })] }), tooManyPorts],
  ];
  for (const [description, pod, expected] of cases) {
    it(description, () => assert.deepEqual(outcome(pod), expected));
  }
});
