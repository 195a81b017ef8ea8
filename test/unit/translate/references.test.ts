// Which Secrets and ConfigMaps a pod refers to, and where: every field a kubelet reads one from (env,
// envFrom, secret/configMap/projected volumes, Azure Files, image pull secrets). An object that cannot be
// read (a Secret's data must be base64, a ConfigMap's data text: core/v1 types.go) is refused at every
// field that names it, by key, never by value.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ConfigMap, V1Pod, V1Secret } from "@kubernetes/client-node";
import { referencedNames } from "../../../shared/translate/references.js";
import { b64, configMaps, container, podFrom, secrets } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const pairs = (pod: V1Pod, options: Parameters<typeof problemsOf>[1]) => problemsOf(pod, options).map(({ path, message }) => ({ path, message }));

/** A pod naming the Secret `s` and the ConfigMap `cm` at every field a kubelet reads one from. */
function everySite(s: string, cm: string): V1Pod {
  return podFrom({
    initContainers: [container({ name: "init", env: [{ name: "A", valueFrom: { secretKeyRef: { name: s, key: "k" } } }] })],
    containers: [
      container({
        env: [{ name: "A", valueFrom: { secretKeyRef: { name: s, key: "k" } } }, { name: "B", valueFrom: { configMapKeyRef: { name: cm, key: "k" } } }],
        envFrom: [{ secretRef: { name: s } }, { configMapRef: { name: cm } }],
      }),
    ],
    volumes: [
      { name: "a", secret: { secretName: s } },
      { name: "b", configMap: { name: cm } },
      { name: "c", azureFile: { secretName: s, shareName: "uploads" } },
      { name: "d", csi: { driver: "file.csi.azure.com", volumeAttributes: { shareName: "reports", secretName: s } } },
      { name: "e", projected: { sources: [{ secret: { name: s } }, { configMap: { name: cm } }] } },
    ],
    imagePullSecrets: [{ name: s }],
  });
}

describe("references: every field that names a Secret or ConfigMap", () => {
  it("names each Secret and ConfigMap the pod reads", () => {
    const names = referencedNames(everySite("db", "settings"));
    assert.deepEqual([...names.secrets], ["db"]);
    assert.deepEqual([...names.configMaps], ["settings"]);
  });

  it("names none without a name, and no Secret of a CSI driver other than Azure Files", () => {
    const pod = podFrom({
      containers: [container({ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "", key: "k" } } }, { name: "B", valueFrom: { configMapKeyRef: { key: "k" } } }] })],
      volumes: [{ name: "disk", csi: { driver: "disk.csi.azure.com", volumeAttributes: { secretName: "disk-creds" } } }],
    });
    const names = referencedNames(pod);
    assert.deepEqual([...names.secrets], []);
    assert.deepEqual([...names.configMaps], []);
  });

  it("refuses an unreadable Secret and ConfigMap at every field that names them", () => {
    const bad = new Map<string, V1Secret>([...secrets, ["bad", { metadata: { name: "bad" }, data: { k: "not base64!" } }]]);
    const badCm = new Map<string, V1ConfigMap>([...configMaps, ["badcm", { metadata: { name: "badcm" }, binaryData: { k: "not base64!" } }]]);
    const secret = 'Secret "bad" cannot be read: data["k"] is not base64 text';
    const configMap = 'ConfigMap "badcm" cannot be read: binaryData["k"] is not base64 text';
    assert.deepEqual(pairs(everySite("bad", "badcm"), { secrets: bad, configMaps: badCm }), [
      { path: "spec.initContainers[0].env[0].valueFrom.secretKeyRef", message: secret },
      { path: "spec.containers[0].env[0].valueFrom.secretKeyRef", message: secret },
      { path: "spec.containers[0].env[1].valueFrom.configMapKeyRef", message: configMap },
      { path: "spec.containers[0].envFrom[0].secretRef", message: secret },
      { path: "spec.containers[0].envFrom[1].configMapRef", message: configMap },
      { path: "spec.volumes[0].secret.secretName", message: secret },
      { path: "spec.volumes[1].configMap.name", message: configMap },
      { path: "spec.volumes[2].azureFile.secretName", message: secret },
      { path: "spec.volumes[3].csi.volumeAttributes.secretName", message: secret },
      { path: "spec.volumes[4].projected.sources[0].secret.name", message: secret },
      { path: "spec.volumes[4].projected.sources[1].configMap.name", message: configMap },
      { path: "spec.imagePullSecrets[0]", message: secret },
    ]);
  });
});

describe("references: what cannot be read, each alone", () => {
  const fromSecret = podFrom({ containers: [container({ envFrom: [{ secretRef: { name: "x" } }] })] });
  const fromConfigMap = podFrom({ containers: [container({ envFrom: [{ configMapRef: { name: "x" } }] })] });
  const secretCases: [string, unknown, string][] = [
    ["a Secret that is not an object", "x", 'Secret "x" cannot be read: it is not an object'],
    ["a Secret whose type is a number", { type: 5, data: {} }, 'Secret "x" cannot be read: its type must be a string'],
    ["a Secret whose data is text", { data: "k=v" }, 'Secret "x" cannot be read: data must be a mapping of keys to base64 text'],
  ];
  for (const [description, secret, message] of secretCases) {
    it(description, () => {
      assert.deepEqual(pairs(fromSecret, { secrets: new Map([["x", secret as V1Secret]]) }), [{ path: "spec.containers[0].envFrom[0].secretRef", message }]);
    });
  }
  const configMapCases: [string, unknown, string][] = [
    ["a ConfigMap that is not an object", 7, 'ConfigMap "x" cannot be read: it is not an object'],
    ["a ConfigMap value that is a number", { data: { k: 1 } }, 'ConfigMap "x" cannot be read: data["k"] is not text'],
    ["a ConfigMap whose binaryData is text", { binaryData: "k=v" }, 'ConfigMap "x" cannot be read: binaryData must be a mapping of keys to base64 text'],
  ];
  for (const [description, configMap, message] of configMapCases) {
    it(description, () => {
      assert.deepEqual(pairs(fromConfigMap, { configMaps: new Map([["x", configMap as V1ConfigMap]]) }), [{ path: "spec.containers[0].envFrom[0].configMapRef", message }]);
    });
  }

  it("a Secret with data null and a ConfigMap with binaryData null read as empty", () => {
    // The API server leaves out an empty map; a null one (a hand-written manifest) means the same.
    const pod = podFrom({ containers: [container({ envFrom: [{ secretRef: { name: "x" } }, { configMapRef: { name: "y" } }] })] });
    const env = translate(pod, { secrets: new Map([["x", { data: null } as never]]), configMaps: new Map([["y", { data: { A: "1" }, binaryData: null } as never]]) }).body.properties.containers[0]!.properties.environmentVariables;
    assert.deepEqual(env, [{ name: "A", value: "1" }]);
  });

  it("a Secret's data decoded (base64 of UTF-8)", () => {
    const pod = podFrom({ containers: [container({ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "x", key: "k" } } }] })] });
    const env = translate(pod, { secrets: new Map([["x", { data: { k: b64("grüße") } }]]) }).body.properties.containers[0]!.properties.environmentVariables;
    assert.deepEqual(env, [{ name: "A", secureValue: "grüße" }]);
  });
});
