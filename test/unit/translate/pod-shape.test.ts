// The pod's shape, field by field: each field the translation reads has the type the Kubernetes API
// gives it (k8s.io/api core/v1 types.go: int32 probe timings, IntOrString httpGet.port, bool optional and
// readOnly, Quantity divisor), and a hand-written manifest with another type is refused at that field.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod, V1Volume } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const pairs = (problems: readonly Problem[]) => problems.map(({ path, message }) => ({ path, message }));
/** A container or volume with one field of a hand-written manifest, whatever its type. */
const loose = <T>(value: Record<string, unknown>) => value as T;
const withContainer = (fields: Record<string, unknown>) => podFrom({ containers: [container(loose<Partial<V1Container>>(fields))] });
const withVolume = (volume: Record<string, unknown>) => podFrom({ containers: [container()], volumes: [loose<V1Volume>({ name: "v", ...volume })] });
/** The problems at one field, none when the pod is accepted. */
function problemsAt(pod: V1Pod, path: string): string[] {
  try {
    translate(pod);
    return [];
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return error.problems.filter((p) => p.path === path).map((p) => p.message);
  }
}

describe("pod shape: each field of the wrong type is refused at its path", () => {
  const c = "spec.containers[0]";
  const cases: [string, V1Pod, { path: string; message: string }][] = [
    ["a secretKeyRef's optional as text", withContainer({ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "db", key: "password", optional: "yes" } } }] }), { path: `${c}.env[0].valueFrom.secretKeyRef.optional`, message: "must be true or false" }],
    ["an env variable's name as a number", withContainer({ env: [{ name: 1, value: "x" }] }), { path: `${c}.env[0].name`, message: "must be a string" }],
    ["a valueFrom's secretKeyRef as text", withContainer({ env: [{ name: "A", valueFrom: { secretKeyRef: "db" } }] }), { path: `${c}.env[0].valueFrom.secretKeyRef`, message: "must be an object (a mapping of fields)" }],
    ["a fieldRef's fieldPath as a number", withContainer({ env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: 1 } } }] }), { path: `${c}.env[0].valueFrom.fieldRef.fieldPath`, message: "must be a string" }],
    [
      "a resourceFieldRef's divisor as true",
      withContainer({ env: [{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: true } } }] }),
      { path: `${c}.env[0].valueFrom.resourceFieldRef.divisor`, message: 'must be a quantity, such as "500m" or "1Gi"' },
    ],
    ["a resourceFieldRef's divisor as NaN", withContainer({ env: [{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: Number.NaN } } }] }), { path: `${c}.env[0].valueFrom.resourceFieldRef.divisor`, message: 'must be a quantity, such as "500m" or "1Gi"' }],
    ["an envFrom's prefix as a number", withContainer({ envFrom: [{ prefix: 1, secretRef: { name: "db" } }] }), { path: `${c}.envFrom[0].prefix`, message: "must be a string" }],
    ["an envFrom secretRef's optional as text", withContainer({ envFrom: [{ secretRef: { name: "db", optional: "no" } }] }), { path: `${c}.envFrom[0].secretRef.optional`, message: "must be true or false" }],
    ["an envFrom configMapRef's name as a number", withContainer({ envFrom: [{ configMapRef: { name: 1 } }] }), { path: `${c}.envFrom[0].configMapRef.name`, message: "must be a string" }],
    ["a volume mount's readOnly as text", withContainer({ volumeMounts: [{ name: "v", mountPath: "/v", readOnly: "true" }] }), { path: `${c}.volumeMounts[0].readOnly`, message: "must be true or false" }],
    ["securityContext.privileged as text", withContainer({ securityContext: { privileged: "false" } }), { path: `${c}.securityContext.privileged`, message: "must be true or false" }],
    ["an exec probe's command as text", withContainer({ livenessProbe: { exec: { command: "ls" } } }), { path: `${c}.livenessProbe.exec.command`, message: "must be a list" }],
    ["a probe's periodSeconds below 0", withContainer({ livenessProbe: { exec: { command: ["ls"] }, periodSeconds: -1 } }), { path: `${c}.livenessProbe.periodSeconds`, message: "must be a whole number from 0 to 2147483647" }],
    ["an httpGet header's value as a number", withContainer({ readinessProbe: { httpGet: { port: 80, httpHeaders: [{ name: "X", value: 1 }] } } }), { path: `${c}.readinessProbe.httpGet.httpHeaders[0].value`, message: "must be a string" }],
    ["a volume's name as a number", podFrom({ containers: [container()], volumes: [loose<V1Volume>({ name: 1, emptyDir: {} })] }), { path: "spec.volumes[0].name", message: "must be a string" }],
    ["a secret volume item's path as a number", withVolume({ secret: { secretName: "db", items: [{ key: "password", path: 7 }] } }), { path: "spec.volumes[0].secret.items[0].path", message: "must be a string" }],
    ["a configMap volume's name as a number", withVolume({ configMap: { name: 1 } }), { path: "spec.volumes[0].configMap.name", message: "must be a string" }],
    ["a downwardAPI item's path as a number", withVolume({ downwardAPI: { items: [{ path: 1, fieldRef: { fieldPath: "metadata.name" } }] } }), { path: "spec.volumes[0].downwardAPI.items[0].path", message: "must be a string" }],
    ["projected sources as text", withVolume({ projected: { sources: "all" } }), { path: "spec.volumes[0].projected.sources", message: "must be a list" }],
    ["an emptyDir's medium as a number", withVolume({ emptyDir: { medium: 1 } }), { path: "spec.volumes[0].emptyDir.medium", message: "must be a string" }],
    ["a gitRepo's repository as a number", withVolume({ gitRepo: { repository: 1 } }), { path: "spec.volumes[0].gitRepo.repository", message: "must be a string" }],
    ["a projected source's secret as text", withVolume({ projected: { sources: [{ secret: "db" }] } }), { path: "spec.volumes[0].projected.sources[0].secret", message: "must be an object (a mapping of fields)" }],
    ["a projected downwardAPI's items as text", withVolume({ projected: { sources: [{ downwardAPI: { items: "all" } }] } }), { path: "spec.volumes[0].projected.sources[0].downwardAPI.items", message: "must be a list" }],
    ["an azureFile's readOnly as text", withVolume({ azureFile: { secretName: "files", shareName: "uploads", readOnly: "yes" } }), { path: "spec.volumes[0].azureFile.readOnly", message: "must be true or false" }],
    ["a CSI volume attribute as a number", withVolume({ csi: { driver: "file.csi.azure.com", volumeAttributes: { shareName: 1 } } }), { path: 'spec.volumes[0].csi.volumeAttributes["shareName"]', message: "must be a string" }],
    ["CSI volume attributes as text", withVolume({ csi: { driver: "file.csi.azure.com", volumeAttributes: "shareName=reports" } }), { path: "spec.volumes[0].csi.volumeAttributes", message: "must be a mapping" }],
    ["an image pull Secret's name as a number", podFrom({ containers: [container()], imagePullSecrets: [loose<{ name: string }>({ name: 1 })] }), { path: "spec.imagePullSecrets[0].name", message: "must be a string" }],
    ["a name of 254 characters", podFrom({ containers: [container()] }, { name: "a".repeat(254) }), { path: "metadata.name", message: "must be at most 253 characters long" }],
  ];
  for (const [description, pod, expected] of cases) {
    it(description, () => {
      assert.deepEqual(pairs(problemsOf(pod)), [expected]);
    });
  }

  it("a pod that is not an object", () => {
    const input = { references: { secrets: new Map(), configMaps: new Map() }, node: { name: "vk", os: "Linux" as const }, settings: { connectorName: "aci-connector", clusterId: "c", location: "westeurope" } };
    for (const pod of [null, "pod", []]) {
      assert.throws(() => podToContainerGroup({ ...input, pod: pod as never }), (error: unknown) => {
        assert.ok(error instanceof TranslationError, String(error));
        assert.deepEqual(pairs(error.problems), [{ path: "(pod)", message: "must be an object" }]);
        return true;
      });
    }
  });
});

describe("pod shape: the edges of each range", () => {
  const c = "spec.containers[0]";
  // int32 (a probe's timings): 0 to 2^31 - 1; a port: 1 to 65535 (validation.go, validatePortNumOrName).
  const period = (periodSeconds: unknown) => withContainer({ livenessProbe: { exec: { command: ["ls"] }, periodSeconds } });
  const httpPort = (port: unknown) => withContainer({ ports: [{ name: "http", containerPort: 80 }], readinessProbe: { httpGet: { path: "/", port } } });
  const divisor = (value: unknown) => withContainer({ env: [{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: value } } }] });
  const int32Range = "must be a whole number from 0 to 2147483647";
  const portRange = "must be a port number (1-65535) or a port name";
  const cases: [string, V1Pod, string, string[]][] = [
    ["periodSeconds 0", period(0), `${c}.livenessProbe.periodSeconds`, []],
    ["periodSeconds 2^31 - 1", period(2 ** 31 - 1), `${c}.livenessProbe.periodSeconds`, []],
    ["periodSeconds 2^31", period(2 ** 31), `${c}.livenessProbe.periodSeconds`, [int32Range]],
    ["periodSeconds 1.5", period(1.5), `${c}.livenessProbe.periodSeconds`, [int32Range]],
    ["httpGet.port 1", httpPort(1), `${c}.readinessProbe.httpGet.port`, []],
    ["httpGet.port 65535", httpPort(65535), `${c}.readinessProbe.httpGet.port`, []],
    ["httpGet.port as a name", httpPort("http"), `${c}.readinessProbe.httpGet.port`, []],
    ["httpGet.port 0", httpPort(0), `${c}.readinessProbe.httpGet.port`, [portRange]],
    ["httpGet.port 65536", httpPort(65536), `${c}.readinessProbe.httpGet.port`, [portRange]],
    ["httpGet.port 0.5", httpPort(0.5), `${c}.readinessProbe.httpGet.port`, [portRange]],
    ["httpGet.port 80.5", httpPort(80.5), `${c}.readinessProbe.httpGet.port`, [portRange]],
    ["httpGet.port true", httpPort(true), `${c}.readinessProbe.httpGet.port`, [portRange]],
    ["a divisor as text", divisor("1m"), `${c}.env[0].valueFrom.resourceFieldRef.divisor`, []],
    ["a divisor as a number", divisor(1), `${c}.env[0].valueFrom.resourceFieldRef.divisor`, []],
    ["a name of 253 characters", podFrom({ containers: [container()] }, { name: "a".repeat(253) }), "metadata.name", []],
    ["a namespace of 64 characters", podFrom({ containers: [container()] }, { namespace: "a".repeat(64) }), "metadata.namespace", ["must be at most 63 characters long"]],
  ];
  for (const [description, pod, path, expected] of cases) {
    it(description, () => {
      assert.deepEqual(problemsAt(pod, path), expected);
    });
  }
});
