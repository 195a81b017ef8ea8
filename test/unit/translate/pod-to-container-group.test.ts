// Pod -> container group, one table per concern, with realistic manifests (the seed's Deployments first).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod, V1Secret } from "@kubernetes/client-node";
import type { ArmContainerGroup } from "../../../shared/translate/arm-types.js";
import { containerGroupName } from "../../../shared/translate/naming.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import { b64, configMaps, container, linuxNode, podFrom, secrets, seedPod, uid } from "./realistic-pods.js";
import { problemsOf, translate, type TranslateOptions } from "./translate-pod.js";

describe("the seed's Deployments", () => {
  it("aci-helloworld becomes a Linux group with a public IP on port 80 and azure-aci's default resources", () => {
    const { name, body } = translate(seedPod("virtual-kubelet-linux.yaml"));
    assert.equal(name, containerGroupName({ namespace: "default", name: "aci-helloworld-5d8f9", uid }));
    const expected: ArmContainerGroup = {
      location: "westeurope",
      tags: {
        Namespace: "default",
        PodName: "aci-helloworld-5d8f9",
        UID: uid,
        NodeName: linuxNode.name,
        AciConnector: "aci-connector",
        ClusterId: "0b9a5c3e-1f2d-4c6b-9e8f-7a6b5c4d3e2f",
        CreationTimestamp: "2026-11-24T10:00:00.000Z",
      },
      properties: {
        osType: "Linux",
        sku: "Standard",
        restartPolicy: "Always",
        containers: [
          {
            name: "aci-helloworld",
            properties: { image: "microsoft/aci-helloworld", ports: [{ port: 80, protocol: "TCP" }], resources: { requests: { cpu: 1, memoryInGB: 1.5 } } },
          },
        ],
        ipAddress: { type: "Public", ports: [{ port: 80, protocol: "TCP" }] },
      },
    };
    assert.deepEqual(body, expected);
  });

  it("nanoserver-iis becomes a Windows group", () => {
    const { body } = translate(seedPod("virtual-kubelet-windows.yaml"), { os: "Windows" });
    assert.equal(body.properties.osType, "Windows");
    assert.equal(body.properties.containers[0]!.properties.image, "microsoft/iis:nanoserver");
  });
});

describe("container group names", () => {
  const cases = [
    { description: "namespace and name, readable, with a hash", pod: { namespace: "shop", name: "web-7d4b9c", uid }, pattern: /^shop-web-7d4b9c-[0-9a-f]{16}$/ },
    { description: "dots and upper case folded to valid characters", pod: { namespace: "team.a", name: "Job.Run", uid }, pattern: /^team-a-job-run-[0-9a-f]{16}$/ },
    { description: "a long name cut to 63 characters without an edge hyphen", pod: { namespace: "n".repeat(60), name: "p".repeat(200), uid }, pattern: /^n{46}-[0-9a-f]{16}$/ },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const name = containerGroupName(c.pod);
      assert.match(name, c.pattern);
      assert.ok(name.length <= 63 && !name.includes("--") && !/^-|-$/.test(name));
    });
  }
  it("differs for a recreated pod (same name, new UID) and for namespace/name splits that read alike", () => {
    const a = containerGroupName({ namespace: "a-b", name: "c", uid });
    assert.notEqual(a, containerGroupName({ namespace: "a", name: "b-c", uid }));
    assert.notEqual(a, containerGroupName({ namespace: "a-b", name: "c", uid: "5b2d6a7f-0e1c-4c9f-9a58-3a1a4d2eab21" }));
    assert.equal(a, containerGroupName({ namespace: "a-b", name: "c", uid }));
  });
});

describe("resources", () => {
  const cases: { description: string; containers: V1Container[]; expected: unknown[] }[] = [
    { description: "no requests: 1 CPU and 1.5 GB", containers: [container()], expected: [{ requests: { cpu: 1, memoryInGB: 1.5 } }] },
    {
      description: "requests rounded up to 0.01 CPU and 0.1 GB",
      containers: [container({ resources: { requests: { cpu: "250m", memory: "300Mi" } } })],
      expected: [{ requests: { cpu: 0.25, memoryInGB: 0.4 } }],
    },
    { description: "requests default to limits", containers: [container({ resources: { limits: { cpu: "2", memory: "4G" } } })], expected: [{ requests: { cpu: 2, memoryInGB: 4 } }] },
    {
      description: "a limit above the group's total request is capped at it",
      containers: [
        container({ name: "a", resources: { requests: { cpu: "500m", memory: "1G" }, limits: { cpu: "4", memory: "8G" } } }),
        container({ name: "b", resources: { requests: { cpu: "500m", memory: "1G" } } }),
      ],
      expected: [{ requests: { cpu: 0.5, memoryInGB: 1 }, limits: { cpu: 1, memoryInGB: 2 } }, { requests: { cpu: 0.5, memoryInGB: 1 } }],
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const { body } = translate(podFrom({ containers: c.containers }));
      assert.deepEqual(body.properties.containers.map((x) => x.properties.resources), c.expected);
    });
  }
  it("a GPU from limits['nvidia.com/gpu'] with its SKU annotation", () => {
    const pod = podFrom({ containers: [container({ resources: { limits: { "nvidia.com/gpu": "1" } } })] }, { annotations: { "virtual-kubelet.io/gpu-type": "V100" } });
    assert.deepEqual(translate(pod).body.properties.containers[0]!.properties.resources.requests.gpu, { count: 1, sku: "V100" });
  });
  it("a GPU group's requests as given: 6 CPU and 20 GB with one V100", () => {
    // Whether the region offers that much is region-capabilities.test.ts's concern.
    const pod = podFrom({ containers: [container({ resources: { requests: { cpu: "6", memory: "20G" }, limits: { "nvidia.com/gpu": "1" } } })] }, { annotations: { "virtual-kubelet.io/gpu-type": "V100" } });
    assert.deepEqual(translate(pod).body.properties.containers[0]!.properties.resources.requests, { cpu: 6, memoryInGB: 20, gpu: { count: 1, sku: "V100" } });
  });
});

describe("commands and environment", () => {
  it("joins command and args into ACI's one command", () => {
    const { body } = translate(podFrom({ containers: [container({ command: ["python", "-m"], args: ["shop.web", "--port=80"] })] }));
    assert.deepEqual(body.properties.containers[0]!.properties.command, ["python", "-m", "shop.web", "--port=80"]);
  });

  it("maps plain values, Secret values as secureValue, ConfigMap keys, the downward API and envFrom", () => {
    const pod = podFrom(
      {
        serviceAccountName: "shop",
        containers: [
          container({
            resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
            envFrom: [{ configMapRef: { name: "settings" }, prefix: "CFG_" }, { secretRef: { name: "missing", optional: true } }],
            env: [
              { name: "PLAIN", value: "1" },
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
              { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "settings", key: "LOG_LEVEL" } } },
              { name: "OPTIONAL", valueFrom: { secretKeyRef: { name: "db", key: "absent", optional: true } } },
              { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "TEAM", valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
              { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
              { name: "SA", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
              { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
              { name: "CPU_M", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
            ],
          }),
        ],
      },
      { labels: { team: "checkout" } },
    );
    assert.deepEqual(translate(pod).body.properties.containers[0]!.properties.environmentVariables, [
      { name: "CFG_LOG_LEVEL", value: "debug" },
      { name: "CFG_app.conf", value: "listen 80\n" },
      { name: "PLAIN", value: "1" },
      { name: "DB_PASSWORD", secureValue: "hunter2" },
      { name: "LEVEL", value: "debug" },
      { name: "POD", value: "web-7d4b9c" },
      { name: "TEAM", value: "checkout" },
      { name: "NODE", value: linuxNode.name },
      { name: "SA", value: "shop" },
      { name: "MEM_MI", value: "1024" },
      { name: "CPU_M", value: "500" },
    ]);
  });
});

describe("the group's network, registry credentials and init containers", () => {
  it("a subnet gives a private IP with every port; a DNS label annotation (ours or azure-aci's) a public FQDN", () => {
    const pod = podFrom({ containers: [container({ ports: [{ containerPort: 80 }] }), container({ name: "metrics", ports: [{ containerPort: 9090, protocol: "UDP" }] })] });
    const subnetId = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aci";
    const privateGroup = translate(pod, { subnetId }).body.properties;
    assert.deepEqual(privateGroup.ipAddress, { type: "Private", ports: [{ port: 80, protocol: "TCP" }, { port: 9090, protocol: "UDP" }] });
    assert.deepEqual(privateGroup.subnetIds, [{ id: subnetId }]);
    const labelled = { ...pod, metadata: { ...pod.metadata, annotations: { "virtualkubelet.io/dnsnamelabel": "shop-web" } } };
    assert.equal(translate(labelled).body.properties.ipAddress?.dnsNameLabel, "shop-web");
  });

  it("no ports and no subnet: no IP address at all, and no empty port list on the container", () => {
    const { body } = translate(podFrom({ containers: [container()] }));
    assert.equal(body.properties.ipAddress, undefined);
    assert.equal("ports" in body.properties.containers[0]!.properties, false);
  });

  it("imagePullSecrets of both Docker formats become imageRegistryCredentials", () => {
    const pod = podFrom({ containers: [container()], imagePullSecrets: [{ name: "regcred" }, { name: "oldcred" }] });
    assert.deepEqual(translate(pod).body.properties.imageRegistryCredentials, [
      { server: "myregistry.azurecr.io", username: "puller", password: "pull-secret" },
      { server: "index.docker.io", username: "u", password: "p" },
    ]);
  });

  it("init containers, and restartPolicy mapped as is", () => {
    const pod = podFrom({ restartPolicy: "OnFailure", initContainers: [container({ name: "migrate", command: ["./migrate"] })], containers: [container()] });
    const props = translate(pod).body.properties;
    assert.equal(props.restartPolicy, "OnFailure");
    assert.deepEqual(props.initContainers, [{ name: "migrate", properties: { image: "myregistry.azurecr.io/shop/web:1.4", command: ["./migrate"] } }]);
  });
});

describe("volumes and probes", () => {
  it("emptyDir, secret (with items), configMap, projected kube-api-access, azureFile, Azure Files CSI and gitRepo", () => {
    const pod = podFrom({
      containers: [
        container({
          volumeMounts: [
            { name: "scratch", mountPath: "/tmp/s" },
            { name: "creds", mountPath: "/etc/creds", readOnly: true },
          ],
        }),
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
      ],
    });
    const translation = translate(pod);
    assert.deepEqual(translation.body.properties.volumes, [
      { name: "scratch", emptyDir: {} },
      { name: "creds", secret: { "db-password": b64("hunter2") } },
      { name: "conf", secret: { LOG_LEVEL: b64("debug"), "app.conf": b64("listen 80\n") } },
      { name: "kube-api-access-x7k2p", secret: { "ca.crt": b64("-----BEGIN CERTIFICATE-----\n"), namespace: b64("shop") } },
      { name: "share", azureFile: { shareName: "uploads", storageAccountName: "mystorage", storageAccountKey: "storage-key==", readOnly: true } },
      { name: "csi-share", azureFile: { shareName: "reports", storageAccountName: "mystorage", storageAccountKey: "storage-key==" } },
      { name: "code", gitRepo: { repository: "https://github.com/Azure-Samples/aci-helloworld", revision: "main" } },
    ]);
    assert.deepEqual(translation.body.properties.containers[0]!.properties.volumeMounts, [
      { name: "scratch", mountPath: "/tmp/s" },
      { name: "creds", mountPath: "/etc/creds", readOnly: true },
    ]);
    assert.deepEqual(translation.notices, ['volume "kube-api-access-x7k2p": the service account token is not mounted in ACI (ca.crt and namespace are)']);
  });

  it("exec and httpGet probes, with a named port resolved", () => {
    const pod = podFrom({
      containers: [
        container({
          ports: [{ name: "http", containerPort: 8080 }],
          livenessProbe: { httpGet: { path: "/healthz", port: "http" as unknown as number }, periodSeconds: 10 },
          readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, initialDelaySeconds: 5 },
        }),
      ],
    });
    const props = translate(pod).body.properties.containers[0]!.properties;
    assert.deepEqual(props.livenessProbe, { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 });
    assert.deepEqual(props.readinessProbe, { exec: { command: ["cat", "/tmp/ready"] }, initialDelaySeconds: 5 });
  });
});

describe("refusals: every problem at once, each with its field", () => {
  const cases: { description: string; pod: V1Pod; options?: { os?: "Windows"; subnetId?: string }; problems: Problem[] }[] = [
    {
      description: "args without command",
      pod: podFrom({ containers: [container({ args: ["--port=80"] })] }),
      problems: [
        {
          path: "spec.containers[0].args",
          message:
            "ACI has a single command that replaces the image's entrypoint, so args without command would run the args as the program; set command too (the image's entrypoint followed by these args)",
        },
      ],
    },
    {
      description: "what a container group cannot do, all in one pod",
      pod: podFrom({
        hostNetwork: true,
        containers: [
          container({
            workingDir: "/srv",
            lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
            startupProbe: { exec: { command: ["true"] } },
            livenessProbe: { tcpSocket: { port: 80 } },
            securityContext: { privileged: true },
            ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, protocol: "SCTP" }],
            volumeMounts: [{ name: "host", mountPath: "/host", subPath: "logs" }],
            env: [{ name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }, { name: "PW", valueFrom: { secretKeyRef: { name: "nope", key: "x" } } }],
          }),
        ],
        volumes: [
          { name: "host", hostPath: { path: "/var/log" } },
          { name: "data", persistentVolumeClaim: { claimName: "data" } },
        ],
      }),
      problems: [
        { path: "spec.hostNetwork", message: "is not supported: a container group has its own network, not a host's" },
        { path: "spec.containers[0].workingDir", message: "ACI cannot set a container's working directory; set it in the image or wrap the command" },
        { path: "spec.containers[0].lifecycle", message: "ACI runs no lifecycle hooks (postStart, preStop)" },
        { path: "spec.containers[0].startupProbe", message: "ACI has no startup probes" },
        { path: "spec.containers[0].securityContext.privileged", message: "ACI does not run privileged containers" },
        { path: "spec.containers[0].ports[0].hostPort", message: "a container group has no host ports" },
        { path: "spec.containers[0].ports[1].protocol", message: "ACI supports TCP and UDP, not \"SCTP\"" },
        { path: "spec.containers[0].livenessProbe.tcpSocket", message: "ACI runs exec and httpGet probes only; tcpSocket probes cannot be expressed" },
        {
          path: "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath",
          message:
            "\"status.podIP\" is not known before the container group exists; supported: metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName",
        },
        // Marked: creating the Secret would let the pod run, so it waits instead of failing.
        { path: "spec.containers[0].env[1].valueFrom.secretKeyRef", message: 'Secret "nope" not found', missingReference: { kind: "Secret", name: "nope" } },
        { path: "spec.containers[0].volumeMounts[0].subPath", message: "ACI mounts whole volumes only" },
        { path: "spec.volumes[0].hostPath", message: "hostPath volumes are not supported: a container group has no host to share a path with" },
        { path: "spec.volumes[1].persistentVolumeClaim", message: "persistentVolumeClaim volumes are not supported: ACI mounts Azure Files only: use an azureFile or file.csi.azure.com volume" },
      ],
    },
    {
      // "Multi-container groups currently support only Linux containers. For Windows containers, Azure
      // Container Instances only supports deployment of a single container instance":
      // https://learn.microsoft.com/azure/container-instances/container-instances-container-groups
      description: "two containers in a Windows pod",
      pod: podFrom({ containers: [container(), container({ name: "sidecar" })] }),
      options: { os: "Windows" },
      problems: [{ path: "spec.containers", message: "a Windows container group has a single container in ACI; the pod has 2" }],
    },
    {
      description: "a GPU without its SKU annotation",
      pod: podFrom({ containers: [container({ resources: { limits: { "nvidia.com/gpu": "1" } } })] }),
      problems: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "a GPU needs this annotation, one of K80, P100, V100" }],
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.deepEqual(problemsOf(c.pod, c.options), c.problems);
    });
  }

  it("names every problem in the error's message, and never a secret's value", () => {
    try {
      translate(podFrom({ containers: [container({ args: ["x"], env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "nope" } } }] })] }));
      assert.fail("accepted");
    } catch (error) {
      assert.ok(error instanceof TranslationError);
      assert.match(error.message, /spec\.containers\[0\]\.args: ACI has a single command/);
      assert.match(error.message, /spec\.containers\[0\]\.env\[0\]\.valueFrom\.secretKeyRef: Secret "db" has no key "nope"/);
      assert.ok(!error.message.includes("hunter2"));
    }
  });
});

describe("malformed input: a refusal naming the field, never a TypeError", () => {
  const withSecrets = (added: Record<string, V1Secret>) => new Map([...secrets, ...Object.entries(added)]);
  const docker = (config: string, type = "kubernetes.io/dockerconfigjson"): V1Secret => ({ type, data: { [type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson"]: b64(config) } });
  const pullSecret = (config: string, type?: string) => withSecrets({ broken: docker(config, type) });
  const pulling = podFrom({ containers: [container()], imagePullSecrets: [{ name: "broken" }] });
  const at = "spec.imagePullSecrets[0]";
  const cases: { description: string; pod: V1Pod; options?: TranslateOptions; problems: Problem[] }[] = [
    {
      description: "a pull secret whose registry entry is null (the API server stores it)",
      pod: pulling,
      options: { secrets: pullSecret('{"auths":{"myreg.io":null}}') },
      problems: [{ path: at, message: 'Secret "broken" has no username and password for "myreg.io"' }],
    },
    {
      description: "a pull secret that is JSON null, or whose auths is a list",
      pod: podFrom({ containers: [container()], imagePullSecrets: [{ name: "broken" }, { name: "list" }] }),
      options: { secrets: withSecrets({ broken: docker("null"), list: docker('{"auths":[1]}') }) },
      problems: [
        { path: "spec.imagePullSecrets[0]", message: 'Secret "broken" does not hold Docker configuration in .dockerconfigjson: "auths" must map registries to credentials' },
        { path: "spec.imagePullSecrets[1]", message: 'Secret "list" does not hold Docker configuration in .dockerconfigjson: "auths" must map registries to credentials' },
      ],
    },
    {
      description: "a pull secret whose auth is a number, or not base64",
      pod: pulling,
      options: { secrets: pullSecret('{"auths":{"a.io":{"auth":123},"b.io":{"auth":"!!!"}}}') },
      problems: [
        { path: at, message: 'Secret "broken" has an "auth" for "a.io" that is not base64 "username:password"' },
        { path: at, message: 'Secret "broken" has an "auth" for "b.io" that is not base64 "username:password"' },
      ],
    },
    {
      description: "a dockercfg pull secret that is a string, and JSON that does not parse",
      pod: podFrom({ containers: [container()], imagePullSecrets: [{ name: "broken" }, { name: "torn" }] }),
      options: { secrets: withSecrets({ broken: docker('"text"', "kubernetes.io/dockercfg"), torn: docker('{"auths":{"r.io":{"password":"hunter2"') }) },
      problems: [
        { path: "spec.imagePullSecrets[0]", message: 'Secret "broken" does not hold Docker configuration in .dockercfg: it must map registries to credentials' },
        { path: "spec.imagePullSecrets[1]", message: 'Secret "torn" does not hold valid Docker configuration JSON in .dockerconfigjson' },
      ],
    },
    {
      description: "Secret data that is not base64, and a ConfigMap value that is not text, at each field that uses them",
      pod: podFrom({
        containers: [container({ env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }], envFrom: [{ configMapRef: { name: "settings" } }] })],
        volumes: [{ name: "creds", secret: { secretName: "db" } }],
      }),
      options: {
        secrets: withSecrets({ db: { data: { password: "hunter2!" } } }),
        configMaps: new Map([["settings", { data: { PORT: 80 as unknown as string } }]]),
      },
      problems: [
        { path: "spec.containers[0].env[0].valueFrom.secretKeyRef", message: 'Secret "db" cannot be read: data["password"] is not base64 text' },
        { path: "spec.containers[0].envFrom[0].configMapRef", message: 'ConfigMap "settings" cannot be read: data["PORT"] is not text' },
        { path: "spec.volumes[0].secret.secretName", message: 'Secret "db" cannot be read: data["password"] is not base64 text' },
      ],
    },
    {
      description: "fields of the wrong type: a port as text, an env entry null, a command with a number, a label that is a list",
      pod: podFrom(
        { containers: [container({ ports: [{ containerPort: "80" as unknown as number }], env: [null as never], command: ["sleep", 5 as unknown as string] })] },
        { labels: { team: ["a"] as unknown as string } },
      ),
      problems: [
        { path: 'metadata.labels["team"]', message: "must be a string" },
        { path: "spec.containers[0].ports[0].containerPort", message: "must be a whole number from 1 to 65535" },
        { path: "spec.containers[0].env[0]", message: "must be an object (a mapping of fields)" },
        { path: "spec.containers[0].command[1]", message: "must be a string" },
      ],
    },
    {
      description: "a creationTimestamp that is no time, and a CPU request that is NaN (YAML's .nan)",
      pod: podFrom({ containers: [container({ resources: { requests: { cpu: NaN as unknown as string } } })] }, { creationTimestamp: "yesterday" as unknown as Date }),
      problems: [
        { path: "metadata.creationTimestamp", message: "must be a time as Kubernetes writes it (RFC 3339), e.g. 2026-01-31T12:00:00Z" },
        { path: 'spec.containers[0].resources.requests["cpu"]', message: 'must be a quantity, such as "500m" or "1Gi"' },
      ],
    },
    {
      description: "quantities that are negative, too large, or not quantities; a limit is read even with a request",
      pod: podFrom({ containers: [container({ resources: { requests: { cpu: "-1", memory: "1e400" }, limits: { cpu: "2 cores", memory: "1Gi" } } })] }),
      problems: [
        { path: "spec.containers[0].resources.limits.cpu", message: '"2 cores" is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)' },
        { path: "spec.containers[0].resources.requests.cpu", message: '"-1" is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)' },
        { path: "spec.containers[0].resources.requests.memory", message: '"1e400" is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)' },
      ],
    },
    {
      description: "names: missing, invalid, twice; a mount of no volume; a restart policy Kubernetes does not have",
      pod: podFrom({
        restartPolicy: "never",
        initContainers: [container({ name: "app" })],
        containers: [container(), container({ name: undefined as unknown as string }), container({ name: "Web_1", volumeMounts: [{ name: "data", mountPath: "/data" }] })],
        volumes: [{ name: "scratch", emptyDir: {} }, { name: "scratch" }, { name: "" }],
      }),
      problems: [
        { path: "spec.restartPolicy", message: "must be one of Always, OnFailure, Never" },
        { path: "spec.containers[0].name", message: 'another container is also named "app"' },
        { path: "spec.containers[1].name", message: "is required" },
        { path: "spec.containers[2].name", message: "must be a DNS label: at most 63 lowercase letters, digits and '-'" },
        { path: "spec.containers[2].volumeMounts[0].name", message: 'the pod has no volume named "data"' },
        { path: "spec.volumes[1].name", message: 'another volume is also named "scratch"' },
        { path: "spec.volumes[2].name", message: "is required" },
      ],
    },
    {
      description: "references without a name or key, and a key named like an Object method",
      pod: podFrom({
        containers: [
          container({
            env: [
              { name: "A", valueFrom: { secretKeyRef: { name: "db", key: undefined as unknown as string } } },
              { name: "B", valueFrom: { secretKeyRef: { name: "db", key: "constructor" } } },
              { name: "C", valueFrom: { configMapKeyRef: { name: "settings", key: "__proto__" } } },
              { name: "", value: "x" },
              { name: "D", valueFrom: { fieldRef: { fieldPath: "constructor" } } },
            ],
            livenessProbe: { httpGet: { port: undefined as unknown as number } },
          }),
        ],
        imagePullSecrets: [{}],
      }),
      problems: [
        { path: "spec.containers[0].livenessProbe.httpGet.port", message: "is required" },
        { path: "spec.containers[0].env[0].valueFrom.secretKeyRef.key", message: "is required" },
        { path: "spec.containers[0].env[1].valueFrom.secretKeyRef", message: 'Secret "db" has no key "constructor"', missingReference: { kind: "Secret", name: "db", key: "constructor" } },
        { path: "spec.containers[0].env[2].valueFrom.configMapKeyRef", message: 'ConfigMap "settings" has no key "__proto__"', missingReference: { kind: "ConfigMap", name: "settings", key: "__proto__" } },
        { path: "spec.containers[0].env[3].name", message: "is required" },
        {
          path: "spec.containers[0].env[4].valueFrom.fieldRef.fieldPath",
          message:
            "\"constructor\" is not known before the container group exists; supported: metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName",
        },
        { path: "spec.imagePullSecrets[0].name", message: "is required" },
      ],
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.deepEqual(problemsOf(c.pod, c.options), c.problems);
    });
  }

  it("refuses a GPU pod's quantity too large to round (the group maximum is not checked with a GPU)", () => {
    const pod = podFrom({ containers: [container({ resources: { limits: { "nvidia.com/gpu": "1", cpu: "1e307" } } })] }, { annotations: { "virtual-kubelet.io/gpu-type": "V100" } });
    assert.deepEqual(problemsOf(pod).map((p) => p.path), ["spec.containers[0].resources.limits.cpu"]);
  });

  it("quotes a huge value cut short, so a refusal stays readable in a pod's status", () => {
    const [problem] = problemsOf(podFrom({ containers: [container({ resources: { requests: { cpu: `${"9".repeat(100_000)}x` } } })] }));
    assert.equal(problem!.message, `"${"9".repeat(60)}…" is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)`);
  });

  it("never quotes a Secret's content, even content that does not parse", () => {
    const problems = problemsOf(podFrom({ containers: [container()], imagePullSecrets: [{ name: "broken" }] }), { secrets: pullSecret('{"auths":{"r.io":{"password":"hunter2"') });
    assert.ok(problems.every((p) => !p.message.includes("hunter2")));
  });

  it("reads what the API server defaults: null as absent, a volume without a source as an emptyDir", () => {
    const pod = podFrom({ containers: [container({ args: null as never, env: [{ name: "A", value: null as never }] })], volumes: [{ name: "scratch" }] }, { annotations: null as never });
    const props = translate(pod).body.properties;
    assert.deepEqual(props.containers[0]!.properties.environmentVariables, [{ name: "A", value: "" }]);
    assert.deepEqual(props.volumes, [{ name: "scratch", emptyDir: {} }]);
  });
});

describe("ARM's 4 MB limit on a request body", () => {
  const manyVariables = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `VAR_${i}`, value: "x".repeat(400) }));

  it("refuses 10,000 environment variables of 400 characters, naming the container's env and ARM's limit", () => {
    const problems = problemsOf(podFrom({ containers: [container({ env: manyVariables(10_000) })] }));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, "spec.containers[0].env");
    assert.match(problems[0]!.message, /^the container group would be a 4\.\d MB request to Azure Resource Manager, which refuses request bodies over 4 MB \(4,194,304 bytes\)\. The largest parts: the environment variables \(env and envFrom\) of container "app", 4\.\d MB\. Keep large data out of environment variables and Secret or ConfigMap volumes/);
  });

  it("names a ConfigMap volume that makes the body big, and lets a body just under the limit through", () => {
    const big = new Map([...configMaps, ["assets", { data: { "bundle.js": "x".repeat(3 * 1024 * 1024) } }]]);
    const pod = podFrom({ containers: [container()], volumes: [{ name: "scratch", emptyDir: {} }, { name: "assets", configMap: { name: "assets" } }] });
    const problems = problemsOf(pod, { configMaps: big });
    assert.equal(problems[0]!.path, "spec.volumes[1]");
    assert.match(problems[0]!.message, /The largest parts: the files of volume "assets" \(Secret, ConfigMap or downward API content\), 4\.0 MB\./);
    assert.ok(JSON.stringify(translate(podFrom({ containers: [container({ env: manyVariables(9_600) })] })).body).length > 4_000_000);
  });
});
