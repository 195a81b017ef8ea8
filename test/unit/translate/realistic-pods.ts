// Realistic inputs of the translation, shared by its table tests and its fuzz test: the seed's
// Deployments as pods, pods using what the translation supports, the Secrets and ConfigMaps they
// reference (as the API server returns them: data in base64), ARM answers of a group, and regions'
// capabilities as ARM lists them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { V1ConfigMap, V1Container, V1Deployment, V1Pod, V1Secret } from "@kubernetes/client-node";
import { parse } from "yaml";
import { capabilitiesRecordedInEastUs2021, documentedCapabilities } from "../../../dev/emulator/capabilities.js";
import type { RegionCapabilities } from "../../../shared/translate/region-capabilities.js";
import { projectRoot, seedDir } from "../../support/paths.js";

export const uid = "4a1c5f6e-9d0b-4b8e-8f47-2f0f3c1d9a10";
export const linuxNode = { name: "virtual-kubelet-aci-connector-linux-westeurope", os: "Linux" } as const;
export const windowsNode = { name: "virtual-kubelet-aci-connector-windows-westeurope", os: "Windows" } as const;
export const settings = { connectorName: "aci-connector", clusterId: "0b9a5c3e-1f2d-4c6b-9e8f-7a6b5c4d3e2f", location: "westeurope" };
export const b64 = (s: string) => Buffer.from(s).toString("base64");

/**
 * Regions as the emulator lists them (dev/emulator/capabilities.ts cites the sources): every region as
 * Microsoft documents it today (31 CPU and 240 GB, no GPU), and eastus as the service listed it in 2021
 * (smaller public groups, larger ones in a virtual network, GPUs for public Linux groups).
 */
export const documentedRegion: RegionCapabilities = { location: "westeurope", rows: documentedCapabilities };
export const eastUs2021: RegionCapabilities = { location: "eastus", rows: capabilitiesRecordedInEastUs2021 };

export const secrets = new Map<string, V1Secret>([
  ["db", { metadata: { name: "db" }, data: { password: b64("hunter2"), user: b64("app") } }],
  ["files", { metadata: { name: "files" }, data: { azurestorageaccountname: b64("mystorage"), azurestorageaccountkey: b64("storage-key==") } }],
  ["regcred", { metadata: { name: "regcred" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "myregistry.azurecr.io": { auth: b64("puller:pull-secret") } } })) } }],
  ["oldcred", { metadata: { name: "oldcred" }, type: "kubernetes.io/dockercfg", data: { ".dockercfg": b64(JSON.stringify({ "https://index.docker.io/v1/": { username: "u", password: "p" } })) } }],
]);
/** The Secret values distinctive enough to search messages for. */
export const secretValues = ["hunter2", "mystorage", "storage-key==", "pull-secret"];

export const configMaps = new Map<string, V1ConfigMap>([
  ["settings", { metadata: { name: "settings" }, data: { LOG_LEVEL: "debug", "app.conf": "listen 80\n" } }],
  ["kube-root-ca.crt", { metadata: { name: "kube-root-ca.crt" }, data: { "ca.crt": "-----BEGIN CERTIFICATE-----\n" } }],
]);

export function podFrom(spec: Partial<V1Pod["spec"]> & { containers: V1Container[] }, metadata: Partial<V1Pod["metadata"]> = {}): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-7d4b9c", namespace: "shop", uid, creationTimestamp: new Date("2026-11-24T10:00:00Z"), ...metadata },
    spec: { nodeName: linuxNode.name, ...spec },
  };
}

export const container = (overrides: Partial<V1Container> = {}): V1Container => ({ name: "app", image: "myregistry.azurecr.io/shop/web:1.4", ...overrides });

/** A seed Deployment's pod, as its ReplicaSet would stamp it. */
export function seedPod(file: string): V1Pod {
  const deployment = parse(readFileSync(join(seedDir, file), "utf8")) as V1Deployment;
  return podFrom(deployment.spec!.template.spec!, { name: "aci-helloworld-5d8f9", namespace: "default", labels: deployment.spec!.template.metadata?.labels });
}

/** Pods that translate, together using every kind of field the translation reads. */
export function realisticPods(): V1Pod[] {
  return [
    seedPod("virtual-kubelet-linux.yaml"),
    podFrom(
      {
        serviceAccountName: "shop",
        restartPolicy: "OnFailure",
        imagePullSecrets: [{ name: "regcred" }, { name: "oldcred" }],
        initContainers: [container({ name: "migrate", command: ["./migrate"], env: [{ name: "DB_USER", valueFrom: { secretKeyRef: { name: "db", key: "user" } } }] })],
        containers: [
          container({
            command: ["python", "-m"],
            args: ["shop.web", "--port=80"],
            ports: [{ name: "http", containerPort: 8080 }, { containerPort: 9090, protocol: "UDP" }],
            resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi", cpu: "1" } },
            envFrom: [{ configMapRef: { name: "settings" }, prefix: "CFG_" }, { secretRef: { name: "missing", optional: true } }],
            env: [
              { name: "PLAIN", value: "1" },
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
              { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "settings", key: "LOG_LEVEL" } } },
              { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "TEAM", valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
              { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
            ],
            livenessProbe: { httpGet: { path: "/healthz", port: "http" as unknown as number, httpHeaders: [{ name: "X-Probe", value: "1" }] }, periodSeconds: 10 },
            readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, initialDelaySeconds: 5 },
            volumeMounts: [
              { name: "scratch", mountPath: "/tmp/s" },
              { name: "creds", mountPath: "/etc/creds", readOnly: true },
              { name: "share", mountPath: "/mnt/share" },
            ],
          }),
          container({ name: "metrics", image: "prom/statsd-exporter:v0.26.0", resources: { requests: { cpu: "100m", memory: "128Mi" } } }),
        ],
        volumes: [
          { name: "scratch", emptyDir: {} },
          { name: "creds", secret: { secretName: "db", items: [{ key: "password", path: "db-password" }], defaultMode: 420 } },
          { name: "conf", configMap: { name: "settings" } },
          {
            name: "kube-api-access-x7k2p",
            projected: {
              sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
                { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
              ],
            },
          },
          { name: "share", azureFile: { secretName: "files", shareName: "uploads", readOnly: true } },
          { name: "csi-share", csi: { driver: "file.csi.azure.com", volumeAttributes: { shareName: "reports", secretName: "files" } } },
          { name: "code", gitRepo: { repository: "https://github.com/Azure-Samples/aci-helloworld", revision: "main" } },
          { name: "podinfo", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
        ],
      },
      { labels: { team: "checkout", app: "web" }, annotations: { "aci-connector.io/dns-name-label": "shop-web" } },
    ),
    podFrom(
      { restartPolicy: "Never", containers: [container({ name: "train", image: "myregistry.azurecr.io/ml/train:2", resources: { limits: { "nvidia.com/gpu": "1", cpu: "2", memory: "8Gi" } } })] },
      { name: "train-x8z2q", annotations: { "virtual-kubelet.io/gpu-type": "V100" } },
    ),
  ];
}

interface Recording {
  putResponse: { body: { name: string; properties: Record<string, unknown> } };
  getResponse: { containerInstanceView: Record<string, unknown>; eventNames: string[]; groupInstanceView: Record<string, unknown> };
}

/** ARM's GET of a group in the states a pod goes through: the recorded service's answer first, then FACTS.md's shapes. */
export function observedGroups(): { name: string; properties: Record<string, unknown> }[] {
  const recording = JSON.parse(readFileSync(join(projectRoot, "test/emulator/fixtures/azure-cli-container-create-2018-10-01.json"), "utf8")) as Recording;
  const recorded = structuredClone(recording.putResponse.body);
  const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 11, 59, s)).toISOString();
  const event = (name: string, i: number, type = "Normal", message = `${name} alpine:latest`) => ({ count: 1, firstTimestamp: at(i), lastTimestamp: at(i), name, message, type });
  const withView = (view: Record<string, unknown>, provisioningState: string, groupState: string, groupEvents: unknown[] = []) => {
    const group = structuredClone(recorded);
    const containers = group.properties.containers as { properties: Record<string, unknown> }[];
    containers[0]!.properties.instanceView = view;
    group.properties.provisioningState = provisioningState;
    group.properties.instanceView = { state: groupState, events: groupEvents };
    return group;
  };
  const running = { ...recording.getResponse.containerInstanceView, events: recording.getResponse.eventNames.map((n, i) => event(n, i)) };
  return [
    recorded,
    withView({ ...running, currentState: { state: "Running", startTime: at(9), detailStatus: "" } }, "Succeeded", String(recording.getResponse.groupInstanceView.state)),
    withView({ restartCount: 0, currentState: { state: "Terminated", exitCode: 3, detailStatus: "Error", startTime: at(9), finishTime: at(40) }, events: running.events }, "Succeeded", "Failed"),
    withView(
      {
        restartCount: 2,
        currentState: { state: "Running", startTime: at(50) },
        previousState: { state: "Terminated", exitCode: 137, detailStatus: "OOMKilled", startTime: at(10), finishTime: at(49) },
        events: [...running.events, event("Killing", 49), event("Unhealthy", 55, "Warning", "Readiness probe failed: HTTP 503")],
      },
      "Succeeded",
      "Running",
    ),
    withView(
      { restartCount: 0, currentState: { state: "Waiting", detailStatus: "ErrImagePull" }, events: [event("Pulling", 1), event("Failed", 2, "Warning", 'Failed to pull image "registry.invalid/app:1"')] },
      "Failed",
      "Pending",
      [event("Failed", 3, "Warning", "The container group provisioning failed")],
    ),
  ];
}

/** The pod the recorded group belongs to, with a status written on an earlier pass. */
export function observedPod(): V1Pod {
  return {
    metadata: { name: "web", namespace: "shop", uid },
    spec: {
      initContainers: [{ name: "migrate", image: "alpine:latest" }],
      containers: [{ name: "clicontainer000002", image: "alpine:latest", readinessProbe: { httpGet: { path: "/", port: 8000 } } }],
      restartPolicy: "Always",
    },
    status: {
      phase: "Pending",
      startTime: new Date("2026-11-24T11:58:00Z"),
      conditions: [{ type: "Ready", status: "False", lastTransitionTime: "2026-11-24T11:58:00Z" as unknown as Date }],
    },
  };
}
