// The words a pod waiting for a Secret or ConfigMap is given, as the pure functions produce them (the
// controller's tests see them through a pod sync). What they must say:
// - the kubelet's message (kubelet_pods.go, makeEnvironmentVariables): `secret "x" not found` (the secret
//   manager's NotFound for the resource "secret"), `couldn't find key k in ConfigMap ns/x`; the reason
//   `CreateContainerConfigError`, the pod Pending;
// - virtual-kubelet's Events (internal/podutils/env.go): `MandatorySecretNotFound` `secret "x" not found`,
//   `MandatoryConfigMapKeyNotFound` `key "k" does not exist in configmap "x"`, and for an optional
//   reference `OptionalSecretKeyNotFound` `skipping optional envvar "E": key "k" does not exist in secret "x"`;
// - a missing image pull Secret: `FailedToRetrieveImagePullSecret` (kubelet_pods.go, getPullSecretsForPod).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { kubeletMessage, mandatoryReferenceEvent, skippedReferenceEvents, waitingForReferencesStatus } from "../../../shared/translate/missing-references.js";
import type { MissingReference, Problem, SkippedReference } from "../../../shared/translate/problems.js";
import { container, podFrom } from "./realistic-pods.js";

describe("the kubelet's message for a missing reference", () => {
  const cases: [MissingReference, string][] = [
    [{ kind: "Secret", name: "db" }, 'secret "db" not found'],
    [{ kind: "ConfigMap", name: "settings" }, 'configmap "settings" not found'],
    [{ kind: "Secret", name: "db", key: "password" }, "couldn't find key password in Secret shop/db"],
    [{ kind: "ConfigMap", name: "settings", key: "LOG_LEVEL" }, "couldn't find key LOG_LEVEL in ConfigMap shop/settings"],
  ];
  for (const [ref, message] of cases) {
    it(message, () => assert.equal(kubeletMessage(ref, "shop"), message));
  }
});

describe("virtual-kubelet's Event for a required reference", () => {
  const cases: [MissingReference, string, string][] = [
    [{ kind: "Secret", name: "db" }, "MandatorySecretNotFound", 'secret "db" not found'],
    [{ kind: "ConfigMap", name: "settings" }, "MandatoryConfigMapNotFound", 'configmap "settings" not found'],
    [{ kind: "Secret", name: "db", key: "password" }, "MandatorySecretKeyNotFound", 'key "password" does not exist in secret "db"'],
    [{ kind: "ConfigMap", name: "settings", key: "PORT" }, "MandatoryConfigMapKeyNotFound", 'key "PORT" does not exist in configmap "settings"'],
  ];
  for (const [ref, reason, note] of cases) {
    it(reason, () => assert.deepEqual(mandatoryReferenceEvent(ref), { reason, note }));
  }
});

describe("the Warnings for the references a pod runs without", () => {
  const cases: [string, SkippedReference[], { reason: string; note: string }[]][] = [
    [
      "an optional env key",
      [{ path: "spec.containers[0].env[3].valueFrom.secretKeyRef", kind: "Secret", name: "db", key: "token", envName: "TOKEN" }],
      [{ reason: "OptionalSecretKeyNotFound", note: 'skipping optional envvar "TOKEN": key "token" does not exist in secret "db"' }],
    ],
    [
      "an optional env reference to a ConfigMap that does not exist",
      [{ path: "spec.containers[0].env[0].valueFrom.configMapKeyRef", kind: "ConfigMap", name: "flags", envName: "FLAGS" }],
      [{ reason: "OptionalConfigMapNotFound", note: 'skipping optional envvar "FLAGS": configmap "flags" not found' }],
    ],
    [
      // No variable is skipped by name: the note says which field did without it.
      "an optional envFrom Secret",
      [{ path: "spec.containers[0].envFrom[1].secretRef", kind: "Secret", name: "extra" }],
      [{ reason: "OptionalSecretNotFound", note: 'spec.containers[0].envFrom[1].secretRef: secret "extra" not found' }],
    ],
    [
      "an optional volume item's key",
      [{ path: "spec.volumes[0].configMap.items[0]", kind: "ConfigMap", name: "settings", key: "extra.conf" }],
      [{ reason: "OptionalConfigMapKeyNotFound", note: 'spec.volumes[0].configMap.items[0]: key "extra.conf" does not exist in configmap "settings"' }],
    ],
    [
      "two missing pull Secrets: one Warning naming both, after the others",
      [
        { path: "spec.imagePullSecrets[0]", kind: "Secret", name: "regcred-old" },
        { path: "spec.containers[0].env[0].valueFrom.secretKeyRef", kind: "Secret", name: "db", envName: "PW" },
        { path: "spec.imagePullSecrets[1]", kind: "Secret", name: "regcred-new" },
      ],
      [
        { reason: "OptionalSecretNotFound", note: 'skipping optional envvar "PW": secret "db" not found' },
        { reason: "FailedToRetrieveImagePullSecret", note: "Unable to retrieve some image pull secrets (regcred-old, regcred-new); attempting to pull the image may not succeed." },
      ],
    ],
    ["none", [], []],
  ];
  for (const [description, refs, events] of cases) {
    it(description, () => assert.deepEqual(skippedReferenceEvents(refs), events));
  }
});

describe("the status of a pod waiting for its references", () => {
  const missing = (path: string, ref: MissingReference): Problem => ({ path, message: "(the translation's words)", missingReference: ref });
  const statusOf = (pod: V1Pod, problems: Problem[]) => waitingForReferencesStatus(pod, problems);
  const waitingOf = (status: ReturnType<typeof statusOf>) =>
    Object.fromEntries([...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].map((c) => [c.name, c.state?.waiting?.message]));

  it("is Pending, each container waiting as CreateContainerConfigError, not started, not ready", () => {
    const pod = podFrom({ containers: [container()] });
    assert.deepEqual(statusOf(pod, [missing("spec.containers[0].env[0].valueFrom.secretKeyRef", { kind: "Secret", name: "db" })]), {
      phase: "Pending",
      containerStatuses: [
        {
          name: "app",
          image: "myregistry.azurecr.io/shop/web:1.4",
          imageID: "",
          ready: false,
          started: false,
          restartCount: 0,
          state: { waiting: { reason: "CreateContainerConfigError", message: 'secret "db" not found' } },
        },
      ],
    });
  });

  it("names what each container lacks itself, else what a volume lacks, else what its siblings lack", () => {
    const pod = podFrom({
      initContainers: [container({ name: "migrate" })],
      containers: [container({ name: "web" }), container({ name: "sidecar" }), container({ name: "proxy" })],
    });
    const status = statusOf(pod, [
      missing("spec.initContainers[0].env[0].valueFrom.configMapKeyRef", { kind: "ConfigMap", name: "settings", key: "DB_URL" }),
      missing("spec.containers[1].envFrom[0].secretRef", { kind: "Secret", name: "sidecar-token" }),
      missing("spec.containers[1].env[2].valueFrom.secretKeyRef", { kind: "Secret", name: "sidecar-token" }),
      missing("spec.containers[10].envFrom[0].secretRef", { kind: "Secret", name: "tenth" }),
    ]);
    assert.deepEqual(waitingOf(status), {
      migrate: "couldn't find key DB_URL in ConfigMap shop/settings",
      // The same message once, though two fields lack the same Secret.
      sidecar: 'secret "sidecar-token" not found',
      // spec.containers[1] is not spec.containers[10]: nothing of its own, no volume, so all the pod lacks.
      web: 'couldn\'t find key DB_URL in ConfigMap shop/settings; secret "sidecar-token" not found; secret "tenth" not found',
      proxy: 'couldn\'t find key DB_URL in ConfigMap shop/settings; secret "sidecar-token" not found; secret "tenth" not found',
    });

    const withVolume = statusOf(pod, [
      missing("spec.volumes[0].secret", { kind: "Secret", name: "tls" }),
      missing("spec.containers[0].env[0].valueFrom.secretKeyRef", { kind: "Secret", name: "db" }),
    ]);
    assert.deepEqual(waitingOf(withVolume), { migrate: 'secret "tls" not found', web: 'secret "db" not found', sidecar: 'secret "tls" not found', proxy: 'secret "tls" not found' });
  });

  it("lists init container statuses only for a pod that has init containers", () => {
    const status = statusOf(podFrom({ containers: [container()] }), [missing("spec.volumes[0].configMap", { kind: "ConfigMap", name: "settings" })]);
    assert.equal("initContainerStatuses" in status, false);
    const withInit = statusOf(podFrom({ initContainers: [container({ name: "init" })], containers: [container()] }), [missing("spec.volumes[0].configMap", { kind: "ConfigMap", name: "settings" })]);
    assert.deepEqual(withInit.initContainerStatuses?.map((c) => [c.name, c.state?.waiting?.reason]), [["init", "CreateContainerConfigError"]]);
  });
});
