// The pod's shape, checked before anything is translated: every field the translation reads has the type
// the Kubernetes API gives it. The API server guarantees this for pods it stores, but the same code reads
// hand-written manifests (`aci-connector translate`), where `containerPort: "80"` or `env: [null]` would
// otherwise surface as a TypeError, or as a body ARM refuses with words about JSON instead of the pod.
//
// A null field counts as absent, as the API server decodes it; the translation then works on a copy
// without them. Fields the translation never reads are not checked.
import type { V1Pod } from "@kubernetes/client-node";
import type { ProblemList } from "./problems.js";
import { isRecord, timeOf } from "./values.js";

type Shape =
  | { readonly kind: "string"; readonly maxLength?: number }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "boolean" | "intOrString" | "quantity" | "time" | "present" }
  | { readonly kind: "list"; readonly of: Shape }
  | { readonly kind: "map"; readonly of: Shape }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>> };

const string: Shape = { kind: "string" };
const boolean: Shape = { kind: "boolean" };
/** Read only for whether it is set (a field the translation refuses), so any value will do. */
const present: Shape = { kind: "present" };
const int32 = (min: number): Shape => ({ kind: "integer", min, max: 2 ** 31 - 1 });
const port: Shape = { kind: "integer", min: 1, max: 65535 };
const list = (of: Shape): Shape => ({ kind: "list", of });
const map = (of: Shape): Shape => ({ kind: "map", of });
const object = (fields: Record<string, Shape>): Shape => ({ kind: "object", fields });

const reference = object({ name: string, key: string, optional: boolean });
const keyToPath = object({ key: string, path: string });
const fieldRef = object({ fieldPath: string });
const downwardItems = list(object({ path: string, fieldRef }));
const projectable = object({ name: string, optional: boolean, items: list(keyToPath) });
const probe = object({
  exec: object({ command: list(string) }),
  httpGet: object({ path: string, port: { kind: "intOrString" }, host: string, scheme: string, httpHeaders: list(object({ name: string, value: string })) }),
  tcpSocket: present,
  grpc: present,
  initialDelaySeconds: int32(0),
  periodSeconds: int32(0),
  timeoutSeconds: int32(0),
  successThreshold: int32(0),
  failureThreshold: int32(0),
});
const container = object({
  name: string,
  image: string,
  command: list(string),
  args: list(string),
  workingDir: present,
  ports: list(object({ name: string, containerPort: port, hostPort: port, protocol: string })),
  env: list(
    object({
      name: string,
      value: string,
      valueFrom: object({
        secretKeyRef: reference,
        configMapKeyRef: reference,
        fieldRef,
        resourceFieldRef: object({ resource: string, divisor: { kind: "quantity" }, containerName: string }),
      }),
    }),
  ),
  envFrom: list(object({ prefix: string, secretRef: object({ name: string, optional: boolean }), configMapRef: object({ name: string, optional: boolean }) })),
  resources: object({ requests: map({ kind: "quantity" }), limits: map({ kind: "quantity" }) }),
  volumeMounts: list(object({ name: string, mountPath: string, readOnly: boolean, subPath: string, subPathExpr: string })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: present,
  lifecycle: present,
  securityContext: object({ privileged: boolean }),
});
const volume = object({
  name: string,
  emptyDir: object({ medium: string }),
  gitRepo: object({ repository: string, directory: string, revision: string }),
  secret: object({ secretName: string, optional: boolean, items: list(keyToPath) }),
  configMap: projectable,
  downwardAPI: object({ items: downwardItems }),
  projected: object({ sources: list(object({ secret: projectable, configMap: projectable, downwardAPI: object({ items: downwardItems }), serviceAccountToken: present })) }),
  azureFile: object({ secretName: string, shareName: string, readOnly: boolean }),
  csi: object({ driver: string, readOnly: boolean, volumeAttributes: map(string) }),
});

/** What the translation reads of a pod, and the type of each. */
const podShape = object({
  metadata: object({
    // Kubernetes' own limit on a name; the name also becomes an ARM tag value (at most 256 characters).
    name: { kind: "string", maxLength: 253 },
    namespace: { kind: "string", maxLength: 63 },
    uid: string,
    creationTimestamp: { kind: "time" },
    labels: map(string),
    annotations: map(string),
  }),
  spec: object({
    containers: list(container),
    initContainers: list(container),
    ephemeralContainers: present,
    volumes: list(volume),
    imagePullSecrets: list(object({ name: string })),
    restartPolicy: string,
    nodeName: string,
    serviceAccountName: string,
    hostNetwork: boolean,
    hostPID: boolean,
    hostIPC: boolean,
    shareProcessNamespace: boolean,
  }),
});

/**
 * The pod as the translation may read it: a copy without null fields, every field it reads of its
 * Kubernetes type. Each misfit is added to `problems` (its path and the type expected, never its value).
 */
export function checkPodShape(pod: unknown, problems: ProblemList): V1Pod {
  if (!isRecord(pod)) {
    problems.add("(pod)", "must be an object");
    return {};
  }
  return check(pod, podShape, "", problems) as V1Pod;
}

function check(value: unknown, shape: Shape, path: string, problems: ProblemList): unknown {
  const misfit = (expected: string) => void problems.add(path, `must be ${expected}`);
  switch (shape.kind) {
    case "present":
      return value;
    case "string":
      if (typeof value !== "string") return misfit("a string");
      if (shape.maxLength !== undefined && value.length > shape.maxLength) return misfit(`at most ${shape.maxLength} characters long`);
      return value;
    case "boolean":
      return typeof value === "boolean" ? value : misfit("true or false");
    case "integer":
      return Number.isInteger(value) && (value as number) >= shape.min && (value as number) <= shape.max ? value : misfit(`a whole number from ${shape.min} to ${shape.max}`);
    case "intOrString":
      return typeof value === "string" || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535) ? value : misfit("a port number (1-65535) or a port name");
    case "quantity":
      // Its text is checked where it is read, with the quantity quoted (it holds no secret).
      // Number.isFinite is true for finite numbers only (never for a numeric text).
      return typeof value === "string" || Number.isFinite(value) ? value : misfit('a quantity, such as "500m" or "1Gi"');
    case "time":
      return timeOf(value) !== undefined ? value : misfit("a time as Kubernetes writes it (RFC 3339), e.g. 2026-01-31T12:00:00Z");
    case "list":
      if (!Array.isArray(value)) return misfit("a list");
      return value.map((item, i) => check(item, shape.of, `${path}[${i}]`, problems));
    case "map":
      if (!isRecord(value)) return misfit("a mapping");
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, check(v, shape.of, `${path}[${JSON.stringify(k)}]`, problems)]));
    case "object": {
      if (!isRecord(value)) return misfit("an object (a mapping of fields)");
      // Object.fromEntries keeps a "__proto__" key as an ordinary field instead of setting a prototype.
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => {
            const field = shape.fields[k];
            return [k, field === undefined || !Object.hasOwn(shape.fields, k) ? v : check(v, field, path === "" ? k : `${path}.${k}`, problems)];
          }),
      );
    }
  }
}
