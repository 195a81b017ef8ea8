// Container and volume names must be DNS labels (RFC 1123: at most 63 lowercase letters, digits and '-',
// starting and ending with a letter or digit), as Kubernetes requires of them
// (kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names) and ACI of its
// container and volume names. A name that is one only in part is refused, naming the field.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../../../shared/translate/problems.js";
import { configMaps, container, linuxNode, podFrom, secrets, settings } from "./realistic-pods.js";

function refusedPaths(pod: V1Pod): string[] {
  try {
    podToContainerGroup({ pod, references: { secrets, configMaps }, node: linuxNode, settings });
    return [];
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return error.problems.map((p) => p.path);
  }
}

describe("container and volume names are DNS labels", () => {
  const cases: [string, string, boolean][] = [
    ["63 characters", "a".repeat(63), true],
    ["64 characters", "a".repeat(64), false],
    ["a valid label followed by what is not", "app_x", false],
    ["a trailing hyphen", "app-", false],
  ];
  for (const [description, name, accepted] of cases) {
    it(`a container name of ${description}: ${accepted ? "accepted" : "refused"}`, () => {
      assert.deepEqual(refusedPaths(podFrom({ containers: [container({ name })] })), accepted ? [] : ["spec.containers[0].name"]);
    });
  }
});
