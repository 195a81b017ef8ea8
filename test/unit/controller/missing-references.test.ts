// A pod referring to a Secret or ConfigMap that does not exist (yet) waits for it, whatever its
// restartPolicy, and says so as a kubelet does: each container waiting as `CreateContainerConfigError`
// with the kubelet's message (`secret "x" not found`; `couldn't find key k in ConfigMap ns/x`, from
// kubelet_pods.go), and the virtual-kubelet core library's Events (`MandatorySecretNotFound`,
// `MandatoryConfigMapKeyNotFound`, ...; `Optional...NotFound` when an optional one is missing and the pod
// runs without it; reasons and notes from virtual-kubelet internal/podutils/env.go).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, type FakeWorld } from "./fake-ports.js";

const uid = "00000000-0000-4000-8000-0000000000b2";
const app = (more: Partial<V1Container> = {}): V1Container => ({ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", ...more });

function podWith(spec: Partial<V1Pod["spec"]>, restartPolicy: "Always" | "Never" = "Never"): V1Pod {
  const pod = boundPod("web", uid);
  return { ...pod, spec: { ...pod.spec!, restartPolicy, ...spec } };
}

async function sync(world: FakeWorld, pod: V1Pod) {
  world.pods.set("default/web", pod);
  return syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined);
}

const waitingOf = (world: FakeWorld) =>
  Object.fromEntries([...(world.pods.get("default/web")!.status!.initContainerStatuses ?? []), ...(world.pods.get("default/web")!.status!.containerStatuses ?? [])].map((c) => [c.name, c.state?.waiting]));
const eventsOf = (world: FakeWorld) => world.events.map((e) => [e.type, e.reason, e.note]);

describe("a pod whose Secret or ConfigMap does not exist", () => {
  for (const restartPolicy of ["Never", "Always"] as const) {
    it(`waits Pending under restartPolicy ${restartPolicy}: CreateContainerConfigError with the kubelet's message, a MandatorySecretNotFound Event, nothing sent to ARM`, async () => {
      const world = fakeWorld();
      const pod = podWith({ volumes: [{ name: "tls", secret: { secretName: "web-tls" } }], containers: [app({ volumeMounts: [{ name: "tls", mountPath: "/tls" }] })] }, restartPolicy);
      assert.equal(await sync(world, pod), "refused");
      const status = world.pods.get("default/web")!.status!;
      assert.equal(status.phase, "Pending");
      assert.equal(status.reason, undefined, "a kubelet leaves the pod's reason empty: kubectl shows the container's");
      assert.deepEqual(waitingOf(world), { app: { reason: "CreateContainerConfigError", message: 'secret "web-tls" not found' } });
      assert.deepEqual(eventsOf(world), [["Warning", "MandatorySecretNotFound", 'secret "web-tls" not found']]);
      assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
    });
  }

  it("names a missing key as the kubelet does, with MandatoryConfigMapKeyNotFound and MandatorySecretKeyNotFound", async () => {
    const world = fakeWorld();
    world.configMaps.set("default/settings", { metadata: { namespace: "default", name: "settings" }, data: { mode: "fast" } });
    world.secrets.set("default/db", { metadata: { namespace: "default", name: "db" }, data: { user: "YWRtaW4=" } });
    const env = [
      { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "settings", key: "level" } } },
      { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
    ];
    await sync(world, podWith({ containers: [app({ env })] }));
    assert.deepEqual(waitingOf(world), { app: { reason: "CreateContainerConfigError", message: "couldn't find key level in ConfigMap default/settings; couldn't find key password in Secret default/db" } });
    assert.deepEqual(eventsOf(world), [
      ["Warning", "MandatoryConfigMapKeyNotFound", 'key "level" does not exist in configmap "settings"'],
      ["Warning", "MandatorySecretKeyNotFound", 'key "password" does not exist in secret "db"'],
    ]);
  });

  it("tells each container what it lacks itself, and one that lacks nothing what holds the group back (ACI starts them together)", async () => {
    const world = fakeWorld();
    const pod = podWith({
      initContainers: [app({ name: "migrate", envFrom: [{ configMapRef: { name: "migrations" } }] })],
      containers: [app({ envFrom: [{ secretRef: { name: "app-env" } }] }), app({ name: "sidecar" })],
    });
    await sync(world, pod);
    assert.deepEqual(waitingOf(world), {
      migrate: { reason: "CreateContainerConfigError", message: 'configmap "migrations" not found' },
      app: { reason: "CreateContainerConfigError", message: 'secret "app-env" not found' },
      sidecar: { reason: "CreateContainerConfigError", message: 'secret "app-env" not found; configmap "migrations" not found' },
    });
    assert.deepEqual(eventsOf(world).map((e) => e[1]), ["MandatorySecretNotFound", "MandatoryConfigMapNotFound"]);
  });

  it("logs the wait as a warning naming the pod and how many references are missing", async () => {
    const world = fakeWorld();
    await sync(world, podWith({ containers: [app({ envFrom: [{ secretRef: { name: "app-env" } }, { configMapRef: { name: "app-settings" } }] })] }));
    assert.deepEqual(world.logs.filter((l) => l.level === "warn").map((l) => [l.message, l.fields]), [["pod waits for Secrets or ConfigMaps", { namespace: "default", pod: "web", missing: 2 }]]);
  });

  it("says it once: the next sync writes no status and records no Event", async () => {
    const world = fakeWorld();
    await sync(world, podWith({ containers: [app({ envFrom: [{ secretRef: { name: "app-env" } }] })] }));
    assert.equal(await syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined), "refused");
    assert.equal(world.calls.filter((c) => c.startsWith("STATUS ")).length, 1);
    assert.equal(world.events.length, 1);
  });

  it("runs once the Secret exists: the group is created and the waiting reason gives way to ContainerCreating", async () => {
    const world = fakeWorld();
    await sync(world, podWith({ containers: [app({ envFrom: [{ secretRef: { name: "app-env" } }] })] }));
    world.secrets.set("default/app-env", { metadata: { namespace: "default", name: "app-env" }, data: { TOKEN: "dA==" } });
    assert.equal(await syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined), "created");
    assert.deepEqual(waitingOf(world), { app: { reason: "ContainerCreating" } });
  });

  it("with a problem that never goes away as well, is refused as UnsupportedPodSpec naming both", async () => {
    const world = fakeWorld();
    await sync(world, podWith({ hostNetwork: true, containers: [app({ envFrom: [{ secretRef: { name: "app-env" } }] })] }));
    const status = world.pods.get("default/web")!.status!;
    assert.equal(status.reason, "UnsupportedPodSpec");
    assert.match(status.message ?? "", /spec\.hostNetwork.*; spec\.containers\[0\]\.envFrom\[0\]\.secretRef: Secret "app-env" not found/);
    assert.deepEqual(eventsOf(world).map((e) => e[1]), ["UnsupportedPodSpec"]);
  });
});

describe("a pod whose optional Secret or ConfigMap does not exist", () => {
  it("runs without it, and virtual-kubelet's Optional...NotFound Events say what it went without", async () => {
    const world = fakeWorld();
    world.secrets.set("default/tls", { metadata: { namespace: "default", name: "tls" }, data: { "tls.crt": "Y2VydA==" } });
    const pod = podWith({
      volumes: [
        { name: "extra", configMap: { name: "extra", optional: true } },
        { name: "tls", secret: { secretName: "tls", optional: true, items: [{ key: "tls.crt", path: "tls.crt" }, { key: "tls.key", path: "tls.key" }] } },
      ],
      containers: [
        app({
          envFrom: [{ secretRef: { name: "app-env", optional: true } }],
          env: [{ name: "LEVEL", valueFrom: { configMapKeyRef: { name: "settings", key: "level", optional: true } } }],
          volumeMounts: [{ name: "extra", mountPath: "/extra" }, { name: "tls", mountPath: "/tls" }],
        }),
      ],
    });
    assert.equal(await sync(world, pod), "created");
    assert.deepEqual(eventsOf(world).filter((e) => e[0] === "Warning"), [
      ["Warning", "OptionalSecretNotFound", 'spec.containers[0].envFrom[0].secretRef: secret "app-env" not found'],
      ["Warning", "OptionalConfigMapNotFound", 'skipping optional envvar "LEVEL": configmap "settings" not found'],
      ["Warning", "OptionalConfigMapNotFound", 'spec.volumes[0].configMap.name: configmap "extra" not found'],
      ["Warning", "OptionalSecretKeyNotFound", 'spec.volumes[1].secret.items[1].key: key "tls.key" does not exist in secret "tls"'],
    ]);
    const volumes = ([...world.groups.values()][0]!.properties?.volumes ?? []) as { name: string; secret?: Record<string, string> }[];
    assert.deepEqual(Object.keys(volumes.find((v) => v.name === "tls")?.secret ?? {}), ["tls.crt"], "the optional volume's missing key is left out, as a kubelet does");
  });
});
