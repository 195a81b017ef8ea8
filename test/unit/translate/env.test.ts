// Environment variables as a kubelet builds them (kubelet_pods.go, makeEnvironmentVariables), each case
// alone: which object a reference reads, the field a refusal names, the downward API's values.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1EnvVar, V1Pod } from "@kubernetes/client-node";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const envOf = (pod: V1Pod) => translate(pod).body.properties.containers[0]!.properties.environmentVariables;
const withEnv = (env: V1EnvVar[], overrides: Partial<V1Container> = {}, metadata: Partial<V1Pod["metadata"]> = {}) =>
  podFrom({ containers: [container({ env, ...overrides })] }, metadata);
const downward = (fieldPath: string): V1EnvVar => ({ name: "V", valueFrom: { fieldRef: { fieldPath } } });
const resource = (resourceName: string, divisor?: string): V1EnvVar => ({ name: "V", valueFrom: { resourceFieldRef: { resource: resourceName, ...(divisor !== undefined && { divisor }) } } });

describe("environment variables: which object a reference reads", () => {
  // A secretKeyRef reads a Secret and a configMapKeyRef a ConfigMap, never the other kind of the same
  // name ("settings" is a ConfigMap, "db" a Secret in the realistic references). The pod reads the name
  // both ways, so the object of the other kind is at hand.
  const cases: [string, V1EnvVar[], { path: string; message: string }][] = [
    [
      "a secretKeyRef naming a ConfigMap",
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "settings", key: "LOG_LEVEL" } } }, { name: "B", valueFrom: { secretKeyRef: { name: "settings", key: "LOG_LEVEL" } } }],
      { path: "spec.containers[0].env[1].valueFrom.secretKeyRef", message: 'Secret "settings" not found' },
    ],
    [
      "a configMapKeyRef naming a Secret",
      [{ name: "A", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }, { name: "B", valueFrom: { configMapKeyRef: { name: "db", key: "password" } } }],
      { path: "spec.containers[0].env[1].valueFrom.configMapKeyRef", message: 'ConfigMap "db" not found' },
    ],
  ];
  for (const [description, env, expected] of cases) {
    it(description, () => {
      assert.deepEqual(problemsOf(withEnv(env)).map(({ path, message }) => ({ path, message })), [expected]);
    });
  }

  it("envFrom: a missing Secret is named at secretRef, a missing ConfigMap at configMapRef", () => {
    const pod = withEnv([], { envFrom: [{ secretRef: { name: "settings" } }, { configMapRef: { name: "db" } }] });
    assert.deepEqual(problemsOf(pod).map(({ path, message }) => ({ path, message })), [
      { path: "spec.containers[0].envFrom[0].secretRef", message: 'Secret "settings" not found' },
      { path: "spec.containers[0].envFrom[1].configMapRef", message: 'ConfigMap "db" not found' },
    ]);
  });

  it("envFrom of a Secret gives every key as a secureValue", () => {
    const pod = withEnv([], { envFrom: [{ secretRef: { name: "db" }, prefix: "DB_" }] });
    assert.deepEqual(envOf(pod), [{ name: "DB_password", secureValue: "hunter2" }, { name: "DB_user", secureValue: "app" }]);
  });
});

describe("environment variables: each refusal names its field", () => {
  // The API server requires these names (validation.go: validateEnvFrom, validateEnvVarValueFrom);
  // a manifest given to `aci-connector translate` has not been through it.
  const cases: [string, Partial<V1Container>, { path: string; message: string }][] = [
    ["envFrom secretRef without a name", { envFrom: [{ secretRef: {} }] }, { path: "spec.containers[0].envFrom[0].secretRef.name", message: "is required" }],
    ["envFrom configMapRef without a name", { envFrom: [{ configMapRef: {} }] }, { path: "spec.containers[0].envFrom[0].configMapRef.name", message: "is required" }],
    ["secretKeyRef without a key", { env: [{ name: "V", valueFrom: { secretKeyRef: { name: "db" } as never } }] }, { path: "spec.containers[0].env[0].valueFrom.secretKeyRef.key", message: "is required" }],
    ["secretKeyRef without a name", { env: [{ name: "V", valueFrom: { secretKeyRef: { key: "password" } } }] }, { path: "spec.containers[0].env[0].valueFrom.secretKeyRef.name", message: "is required" }],
    ["configMapKeyRef without a key", { env: [{ name: "V", valueFrom: { configMapKeyRef: { name: "settings" } as never } }] }, { path: "spec.containers[0].env[0].valueFrom.configMapKeyRef.key", message: "is required" }],
    [
      "fieldRef without a fieldPath",
      { env: [{ name: "V", valueFrom: { fieldRef: {} as never } }] },
      { path: "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", message: "\"\" is not known before the container group exists; supported: metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName" },
    ],
    // A divisor must be positive (validation.go, validateContainerResourceDivisor: 1m, 1, 1k, ... for CPU).
    ["a divisor of 0", { env: [resource("limits.cpu", "0")] }, { path: "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", message: '"0" is not a positive quantity' }],
    ["a negative divisor", { env: [resource("limits.cpu", "-1")] }, { path: "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", message: '"-1" is not a positive quantity' }],
    ["a divisor that is no quantity", { env: [resource("limits.memory", "one")] }, { path: "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor", message: '"one" is not a positive quantity' }],
    // Kubernetes also offers ephemeral storage and hugepages; ACI sizes neither.
    ["limits.ephemeral-storage", { env: [resource("limits.ephemeral-storage")] }, { path: "spec.containers[0].env[0].valueFrom.resourceFieldRef", message: '"limits.ephemeral-storage" is not one of limits.cpu, limits.memory, requests.cpu, requests.memory' }],
    // fileKeyRef (Kubernetes 1.34, EnvFiles) reads a file another container wrote: nothing ACI can do.
    ["a valueFrom this translation does not know (fileKeyRef)", { env: [{ name: "V", valueFrom: { fileKeyRef: { volumeName: "config", path: "app.env", key: "PORT" } } }] }, { path: "spec.containers[0].env[0].valueFrom", message: "only secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef are supported" }],
  ];
  for (const [description, overrides, expected] of cases) {
    it(description, () => {
      assert.deepEqual(problemsOf(podFrom({ containers: [container(overrides)] })).map(({ path, message }) => ({ path, message })), [expected]);
    });
  }
});

describe("environment variables: the downward API's values", () => {
  const metadata = { labels: { tier: "web", app: "shop" }, annotations: { "team.example.com/owner": 'checkout "core"' } };
  // A kubelet's values (fieldpath.ExtractFieldPathAsString): a missing label or field is the empty text;
  // a whole map is FormatMap's `key="value"` lines, sorted by key.
  const cases: [string, string, string][] = [
    ["a label", "metadata.labels['tier']", "web"],
    ["an annotation", "metadata.annotations['team.example.com/owner']", 'checkout "core"'],
    ["a label the pod lacks", "metadata.labels['absent']", ""],
    ["the namespace", "metadata.namespace", "shop"],
    ["a service account the pod does not name", "spec.serviceAccountName", ""],
    ["all labels", "metadata.labels", 'app="shop"\ntier="web"'],
    ["all annotations", "metadata.annotations", 'team.example.com/owner="checkout \\"core\\""'],
  ];
  for (const [description, fieldPath, value] of cases) {
    it(`${description}: ${fieldPath}`, () => {
      assert.deepEqual(envOf(withEnv([downward(fieldPath)], {}, metadata)), [{ name: "V", value }]);
    });
  }

  it("all labels in key order whatever order the pod gives them in: metadata.labels", () => {
    const labels = { zone: "1", app: "shop", tier: "web", env: "prod", build: "42" };
    assert.deepEqual(envOf(withEnv([downward("metadata.labels")], {}, { labels })), [{ name: "V", value: 'app="shop"\nbuild="42"\nenv="prod"\ntier="web"\nzone="1"' }]);
  });

  it("all labels of a pod without labels: the empty text", () => {
    assert.deepEqual(envOf(withEnv([downward("metadata.labels")])), [{ name: "V", value: "" }]);
  });

  it("a label of a pod without labels: the empty text", () => {
    assert.deepEqual(envOf(withEnv([downward("metadata.labels['tier']")])), [{ name: "V", value: "" }]);
  });

  // The API server accepts only these exact paths (validation.go, validateObjectFieldSelector).
  for (const fieldPath of ["xmetadata.labels['tier']", "metadata.labels['tier']x", "spec.metadata.labels['tier']", "metadata.labelsx"]) {
    it(`refuses a path that only contains a known one: ${fieldPath}`, () => {
      assert.deepEqual(problemsOf(withEnv([downward(fieldPath)], {}, metadata)).map((p) => p.path), ["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"]);
    });
  }

  it("resourceFieldRef: the request ACI gives the container, the divisor 1 when none is given", () => {
    // requests.memory 1 GB is what ACI's memoryInGB 1 provides; a kubelet rounds the quotient up.
    const pod = withEnv([resource("requests.memory", "1M"), resource("requests.cpu"), resource("limits.memory")].map((e, i) => ({ ...e, name: `V${i}` })), {
      resources: { requests: { cpu: "250m", memory: "1G" }, limits: { memory: "2G" } },
    });
    assert.deepEqual(envOf(pod), [
      { name: "V0", value: "1000" },
      { name: "V1", value: "1" },
      { name: "V2", value: "2000000000" },
    ]);
  });
});
