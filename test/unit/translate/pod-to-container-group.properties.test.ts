// Properties of podToContainerGroup over pods the API server would accept (valid names, quantities,
// ports and references, in any combination, supported by ACI or not), drawn by fast-check:
//
//   - it gives a translation or a TranslationError, never another exception;
//   - a refusal lists problems, each naming a field of the pod: the path parses, and every list index
//     in it points at an item the pod has (so a user can find what to fix);
//   - a translation keeps ACI's rules: one ACI container per pod container (and init container), by
//     name and in order; each at least ACI's smallest size (0.01 CPU, 0.1 GB); a group without a GPU
//     within its region's row (eastus as listed in 2021: 4 CPU and 16 GB, a Linux group in a virtual
//     network 72 CPU and 148 GB); at most 5 ports on the group's IP; the pod's restart policy (Always by
//     default, as in Kubernetes).
//
// translation-fuzz.test.ts feeds malformed pods; this file, well-formed ones. A failure prints fast-check's
// seed and path; PROPERTY_SEED=<seed> PROPERTY_PATH=<path> replays it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1EnvVar, V1Pod, V1Volume } from "@kubernetes/client-node";
import fc from "fast-check";
import { podToContainerGroup, type Translation } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../../../shared/translate/problems.js";
import { propertyOptions } from "../../support/property-options.js";
import { configMaps, eastUs2021, linuxNode, secrets, settings, windowsNode } from "./realistic-pods.js";

/** ACI's limits: https://learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits */
const aci = { minCpu: 0.01, minMemoryInGB: 0.1, portsPerIp: 5 };
/** The region's figures for a group without a GPU (eastUs2021, as ARM listed them). */
const regionMaximum = (os: string, subnet: boolean) => (os === "Linux" && subnet ? { cpu: 72, memoryInGB: 148 } : { cpu: 4, memoryInGB: 16 });

const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const names = (min: number, max: number) => fc.uniqueArray(dnsLabel, { minLength: min, maxLength: max });
const image = fc.constantFrom("nginx:1.27", "myregistry.azurecr.io/shop/web:1.4", "mcr.microsoft.com/windows/nanoserver:ltsc2022");
/** Quantities as the API server stores them (it canonicalises what it accepts). */
const cpu = fc.constantFrom("100m", "250m", "500m", "1", "2", "3", "4", "6", "0.5");
const memory = fc.constantFrom("64Mi", "128Mi", "512Mi", "1Gi", "1.5Gi", "4G", "8Gi", "16Gi", "20G");
const referencedSecret = fc.constantFrom("db", "files", "regcred", "missing");
const referencedConfigMap = fc.constantFrom("settings", "kube-root-ca.crt", "absent");

const envVar: fc.Arbitrary<V1EnvVar> = fc.oneof(
  fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), value: fc.string({ maxLength: 20 }) }),
  fc.record({ name: fc.constant("FROM_SECRET"), valueFrom: fc.record({ secretKeyRef: fc.record({ name: referencedSecret, key: fc.constantFrom("password", "user", "nope"), optional: fc.boolean() }) }) }),
  fc.record({ name: fc.constant("FROM_CONFIG"), valueFrom: fc.record({ configMapKeyRef: fc.record({ name: referencedConfigMap, key: fc.constantFrom("LOG_LEVEL", "nope") }) }) }),
  fc.record({ name: fc.constant("FIELD"), valueFrom: fc.record({ fieldRef: fc.record({ fieldPath: fc.constantFrom("metadata.name", "metadata.namespace", "spec.nodeName", "status.podIP", "metadata.labels['team']") }) }) }),
  fc.record({ name: fc.constant("RESOURCE"), valueFrom: fc.record({ resourceFieldRef: fc.record({ resource: fc.constantFrom("limits.cpu", "requests.memory", "limits.memory"), divisor: fc.constantFrom("1", "1m", "1Mi") }) }) }),
);

const probe = fc.oneof(
  fc.record({ exec: fc.record({ command: fc.constant<string[]>(["cat", "/tmp/healthy"]) }), periodSeconds: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ httpGet: fc.record({ path: fc.constant("/healthz"), port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant("http")) }) }),
  fc.record({ tcpSocket: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }) }),
);

const port = fc.record(
  { containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom("TCP", "UDP", "SCTP"), name: fc.constant("http"), hostPort: fc.integer({ min: 1, max: 65535 }) },
  { requiredKeys: ["containerPort"] },
);

function containerOf(name: string, volumeNames: readonly string[], init: boolean): fc.Arbitrary<V1Container> {
  return fc.record(
    {
      name: fc.constant(name),
      image,
      command: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
      args: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
      env: fc.array(envVar, { maxLength: 4 }),
      envFrom: fc.array(fc.oneof(fc.record({ configMapRef: fc.record({ name: referencedConfigMap }) }), fc.record({ secretRef: fc.record({ name: referencedSecret, optional: fc.boolean() }) })), { maxLength: 2 }),
      ports: fc.array(port, { maxLength: init ? 1 : 4 }),
      resources: fc.record(
        {
          requests: fc.record({ cpu, memory }, { requiredKeys: [] }),
          limits: fc.record({ cpu, memory, "nvidia.com/gpu": fc.constantFrom("1", "2") }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      volumeMounts: volumeNames.length === 0 ? fc.constant([]) : fc.array(fc.record({ name: fc.constantFrom(...volumeNames, "undeclared"), mountPath: fc.constantFrom("/data", "/etc/app"), readOnly: fc.boolean() }), { maxLength: 2 }),
      livenessProbe: probe,
      readinessProbe: probe,
      startupProbe: probe,
      workingDir: fc.constant("/app"),
      securityContext: fc.record({ privileged: fc.boolean() }),
    },
    { requiredKeys: ["name", "image"] },
  );
}

const volume = (name: string): fc.Arbitrary<V1Volume> =>
  fc.oneof(
    fc.constant({ name, emptyDir: {} }),
    fc.record({ name: fc.constant(name), secret: fc.record({ secretName: referencedSecret }) }),
    fc.record({ name: fc.constant(name), configMap: fc.record({ name: referencedConfigMap }) }),
    fc.constant({ name, hostPath: { path: "/var/log" } }),
    fc.constant({ name, persistentVolumeClaim: { claimName: "data" } }),
    fc.constant({ name, azureFile: { secretName: "files", shareName: "share" } }),
  );

/** A pod the API server accepts: valid names and values throughout, whatever ACI makes of them. */
const pod: fc.Arbitrary<V1Pod> = fc
  .record({ containerNames: names(1, 3), initNames: names(0, 2), volumeNames: names(0, 3) })
  .filter(({ containerNames, initNames }) => !containerNames.some((n) => initNames.includes(n)))
  .chain(({ containerNames, initNames, volumeNames }) =>
    fc.record({
      apiVersion: fc.constant("v1"),
      kind: fc.constant("Pod"),
      metadata: fc.record({
        name: dnsLabel,
        namespace: dnsLabel,
        uid: fc.uuid(),
        creationTimestamp: fc.constant(new Date("2026-11-24T10:00:00Z")),
        labels: fc.constant({ team: "checkout" }),
        annotations: fc.record(
          { "aci-connector.io/dns-name-label": fc.constantFrom("shop-web", "x", "Shop"), "virtual-kubelet.io/gpu-type": fc.constantFrom("K80", "V100", "A100") },
          { requiredKeys: [] },
        ),
      }),
      spec: fc.record(
        {
          nodeName: fc.constant(linuxNode.name),
          containers: fc.tuple(...containerNames.map((n) => containerOf(n, volumeNames, false))),
          initContainers: fc.tuple(...initNames.map((n) => containerOf(n, volumeNames, true))),
          volumes: fc.tuple(...volumeNames.map(volume)),
          imagePullSecrets: fc.array(fc.record({ name: fc.constantFrom("regcred", "db", "missing") }), { maxLength: 2 }),
          restartPolicy: fc.constantFrom("Always", "OnFailure", "Never"),
          hostNetwork: fc.boolean(),
          serviceAccountName: fc.constant("shop"),
        },
        { requiredKeys: ["nodeName", "containers"] },
      ),
    }),
  );

/**
 * A container using only what ACI can run (and references that exist), so that many drawn pods translate;
 * their sizes and ports may still exceed ACI's maximums.
 */
function supportedContainerOf(name: string, volumeNames: readonly string[], init: boolean): fc.Arbitrary<V1Container> {
  return fc.record(
    {
      name: fc.constant(name),
      image,
      command: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
      args: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
      env: fc.array(
        fc.oneof(
          fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), value: fc.string({ maxLength: 20 }) }),
          fc.constant({ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }),
          fc.constant({ name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }),
        ),
        { maxLength: 3 },
      ),
      ports: init ? fc.constant([]) : fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom("TCP", "UDP") }), { maxLength: 4 }),
      resources: fc.record({ requests: fc.record({ cpu, memory }, { requiredKeys: [] }), limits: fc.record({ cpu, memory }, { requiredKeys: [] }) }, { requiredKeys: [] }),
      volumeMounts: volumeNames.length === 0 ? fc.constant([]) : fc.array(fc.record({ name: fc.constantFrom(...volumeNames), mountPath: fc.constantFrom("/data", "/etc/app") }), { maxLength: 1 }),
      livenessProbe: init ? fc.constant(undefined) : fc.constant({ exec: { command: ["cat", "/tmp/healthy"] } }),
    },
    { requiredKeys: ["name", "image", "command"] },
  );
}

const supportedPod: fc.Arbitrary<V1Pod> = fc
  .record({ containerNames: names(1, 3), initNames: names(0, 1), volumeNames: names(0, 2) })
  .filter(({ containerNames, initNames }) => !containerNames.some((n) => initNames.includes(n)))
  .chain(({ containerNames, initNames, volumeNames }) =>
    fc.record({
      metadata: fc.record({ name: dnsLabel, namespace: dnsLabel, uid: fc.uuid() }),
      spec: fc.record(
        {
          containers: fc.tuple(...containerNames.map((n) => supportedContainerOf(n, volumeNames, false))),
          initContainers: fc.tuple(...initNames.map((n) => supportedContainerOf(n, volumeNames, true))),
          volumes: fc.constant(volumeNames.map((name) => ({ name, emptyDir: {} }))),
          restartPolicy: fc.constantFrom("Always", "OnFailure", "Never"),
        },
        { requiredKeys: ["containers"] },
      ),
    }),
  );

const input = fc.record({ pod, os: fc.constantFrom("Linux", "Windows"), subnet: fc.boolean() });
const supportedInput = fc.record({ pod: supportedPod, os: fc.constantFrom("Linux", "Windows"), subnet: fc.boolean() });

type Outcome = { translation: Translation } | { refusal: TranslationError };

function translate({ pod, os, subnet }: { pod: V1Pod; os: string; subnet: boolean }): Outcome {
  try {
    const node = os === "Windows" ? windowsNode : linuxNode;
    const translationSettings = subnet ? { ...settings, subnetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci" } : settings;
    return { translation: podToContainerGroup({ pod, references: { secrets, configMaps }, node, settings: translationSettings, capabilities: eastUs2021 }) };
  } catch (error) {
    // Anything but a TranslationError fails the property, with its stack.
    if (!(error instanceof TranslationError)) throw error;
    return { refusal: error };
  }
}

/**
 * Whether `path` names a field of `pod`: `a.b[0].c["key"]` or `a.b[*].c` from metadata or spec, each index
 * within its list. The last fields may be absent (a required field that is missing), an index may not.
 */
function namesFieldOf(pod: unknown, path: string): boolean {
  const segments = path.match(/^(metadata|spec)((?:\.[A-Za-z][A-Za-z0-9]*|\[(?:\d+|\*)\]|\["[^"]+"\])*)$/);
  if (segments === null) return false;
  const tokens = [segments[1]!, ...(segments[2]!.match(/\.[A-Za-z][A-Za-z0-9]*|\[(?:\d+|\*)\]|\["[^"]+"\]/g) ?? [])];
  let value: unknown = pod;
  for (const token of tokens) {
    const index = /^\[(\d+|\*)\]$/.exec(token)?.[1];
    if (index !== undefined) {
      if (!Array.isArray(value)) return false;
      if (index === "*") return true;
      if (Number(index) >= value.length) return false;
      value = value[Number(index)];
      continue;
    }
    const key = token.startsWith(".") ? token.slice(1) : token === tokens[0] ? token : (JSON.parse(token.slice(1, -1)) as string);
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return true;
}

describe("podToContainerGroup, for any pod the API server accepts", () => {
  it("gives a translation or a refusal whose every problem names a field of the pod, never another exception", () => {
    fc.assert(
      fc.property(input, (drawn) => {
        const outcome = translate(drawn);
        if ("translation" in outcome) return;
        assert.ok(outcome.refusal.problems.length > 0, "a refusal without problems");
        for (const problem of outcome.refusal.problems) {
          assert.ok(namesFieldOf(drawn.pod, problem.path), `${problem.path} names no field of the pod (${problem.message})`);
          assert.ok(problem.message.length > 0, `${problem.path} has no message`);
        }
      }),
      propertyOptions({ numRuns: 100 }),
    );
  });

  it("translates within ACI's rules: every container by name and order, ACI's sizes, at most 5 ports, one container on Windows, the pod's restart policy", () => {
    let translated = 0;
    fc.assert(
      fc.property(fc.oneof(input, supportedInput), (drawn) => {
        const outcome = translate(drawn);
        if (!("translation" in outcome)) return;
        translated++;
        const { properties } = outcome.translation.body;
        const spec = drawn.pod.spec!;
        assert.equal(properties.osType, drawn.os);
        assert.equal(outcome.translation.body.location, settings.location);
        assert.deepEqual(properties.containers.map((c) => c.name), spec.containers.map((c) => c.name));
        assert.deepEqual((properties.initContainers ?? []).map((c) => c.name), (spec.initContainers ?? []).map((c) => c.name));
        assert.equal(properties.restartPolicy, spec.restartPolicy ?? "Always");
        const requests = properties.containers.map((c) => c.properties.resources.requests);
        for (const r of requests) assert.ok(r.cpu >= aci.minCpu && r.memoryInGB >= aci.minMemoryInGB, `below ACI's smallest size: ${JSON.stringify(r)}`);
        if (!requests.some((r) => r.gpu !== undefined)) {
          const sum = (key: "cpu" | "memoryInGB") => requests.reduce((total, r) => total + r[key], 0);
          const max = regionMaximum(drawn.os, drawn.subnet);
          assert.ok(sum("cpu") <= max.cpu && sum("memoryInGB") <= max.memoryInGB + 1e-9, `over the region's maximum: ${JSON.stringify(requests)}`);
        } else assert.equal(drawn.os, "Linux", "a GPU in a Windows group");
        assert.ok((properties.ipAddress?.ports ?? []).length <= aci.portsPerIp);
        if (drawn.os === "Windows") assert.equal(properties.containers.length, 1, "several containers in a Windows group");
      }),
      propertyOptions({ numRuns: 100 }),
    );
    // Many drawn pods use something ACI refuses; enough must translate for this property to say anything.
    assert.ok(translated >= 10, `only ${translated} drawn pods translated`);
  });
});

describe("namesFieldOf (the check above)", () => {
  const pod = { metadata: { annotations: {} }, spec: { containers: [{ name: "app", env: [{ name: "A" }] }] } };
  const cases: [string, boolean][] = [
    ["spec.containers[0].env[0].valueFrom.secretKeyRef", true],
    ["spec.containers[0].image", true],
    ['metadata.annotations["virtual-kubelet.io/gpu-type"]', true],
    ["spec.containers[*].resources.requests.cpu", true],
    ['spec.containers[*].resources.limits["nvidia.com/gpu"]', true],
    ["spec.containers[1].image", false],
    ["spec.containers[0].env[1].name", false],
    ["spec.initContainers[0].name", false],
    ["status.podIP", false],
    ["spec.containers[0]..image", false],
    ["containers[0]", false],
  ];
  for (const [path, names] of cases) {
    it(`${path}: ${names ? "a field" : "no field"} of the pod`, () => assert.equal(namesFieldOf(pod, path), names));
  }
});
