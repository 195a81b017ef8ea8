// How a refusal reads where people read it: `aci-connector translate` prints the error's message, one
// problem a line; a value from the manifest is quoted whole up to 60 characters and cut after, so a huge
// value cannot flood a pod's status. And the optional references a pod runs without, each with the
// variable it leaves unset: virtual-kubelet's Event says `skipping optional envvar "<name>"` for those.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TranslationError } from "../../../shared/translate/problems.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const withProtocol = (protocol: string) => podFrom({ containers: [container({ ports: [{ containerPort: 80, protocol }] })] });

describe("a refusal as people read it", () => {
  it("lists every problem on a line of its own, under one heading", () => {
    const refused = () => translate(podFrom({ hostPID: true, hostIPC: true, containers: [container()] }));
    assert.throws(refused, (error: unknown) => {
      assert.ok(error instanceof TranslationError);
      assert.equal(
        error.message,
        "the pod cannot run in Azure Container Instances:\n" +
          "  - spec.hostPID: is not supported: a container group has no host processes to share\n" +
          "  - spec.hostIPC: is not supported: a container group has no host IPC to share",
      );
      return true;
    });
  });

  const sixty = "TCP-or-UDP-or-SCTP-whichever-the-load-balancer-ends-up-using";
  const cases: [string, string, string][] = [
    ["a value of 60 characters, whole", sixty, `ACI supports TCP and UDP, not "${sixty}"`],
    ["a value of 61 characters, cut after 60", `${sixty}!`, `ACI supports TCP and UDP, not "${sixty}…"`],
  ];
  for (const [description, protocol, message] of cases) {
    it(`quotes ${description}`, () => {
      assert.equal(sixty.length, 60);
      assert.deepEqual(problemsOf(withProtocol(protocol)), [{ path: "spec.containers[0].ports[0].protocol", message }]);
    });
  }
});

describe("the optional references a pod runs without", () => {
  it("names the variable each unset env entry leaves out; a whole envFrom source has none", () => {
    const pod = podFrom({
      containers: [
        container({
          envFrom: [{ secretRef: { name: "extra", optional: true } }],
          env: [
            { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token", optional: true } } },
            { name: "DB_PORT", valueFrom: { configMapKeyRef: { name: "settings", key: "DB_PORT", optional: true } } },
          ],
        }),
      ],
    });
    assert.deepEqual(translate(pod).skippedReferences, [
      { path: "spec.containers[0].envFrom[0].secretRef", kind: "Secret", name: "extra" },
      { path: "spec.containers[0].env[0].valueFrom.secretKeyRef", kind: "Secret", name: "api", envName: "API_TOKEN" },
      { path: "spec.containers[0].env[1].valueFrom.configMapKeyRef", kind: "ConfigMap", name: "settings", key: "DB_PORT", envName: "DB_PORT" },
    ]);
  });
});
