// Liveness and readiness probes, field by field: what ACI's ContainerProbe carries (the REST spec's
// ContainerProbe and ContainerHttpGet: exec.command, httpGet path, port, scheme "http" | "https" and
// httpHeaders, and the five timings), and what a pod may say that ACI cannot, refused naming the field.
// The kubelet's rules decide the edges (kubernetes pkg/apis/core/validation/validation.go): a port is
// 1-65535 (ValidatePortNumOrName), an exec probe needs a command (validateExecAction), a header a name
// (IsHTTPHeaderName); a port given as a name is the container's port of that name, and a name of digits
// only is read as the number (pkg/kubelet/prober/prober.go, extractPort: "maybe it was an int stored as
// string?").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ContainerPort, V1Probe } from "@kubernetes/client-node";
import type { ArmProbe } from "../../../shared/translate/arm-types.js";
import type { Problem } from "../../../shared/translate/problems.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const livenessPath = "spec.containers[0].livenessProbe";
/** The web container's ports as a Deployment names them: the probe may use either name. */
const ports: V1ContainerPort[] = [
  { name: "http", containerPort: 8080 },
  { name: "metrics", containerPort: 9090 },
];
const podProbing = (livenessProbe: V1Probe, containerPorts: V1ContainerPort[] = ports) => podFrom({ containers: [container({ ports: containerPorts, livenessProbe })] });
const sent = (livenessProbe: V1Probe, containerPorts?: V1ContainerPort[]) => translate(podProbing(livenessProbe, containerPorts)).body.properties.containers[0]!.properties.livenessProbe;
/** A port as YAML may give it: IntOrString, so a name (or digits, quoted) where the type says number. */
const portNamed = (name: string) => name as unknown as number;

describe("a probe ACI runs, as the container group carries it", () => {
  const cases: [string, V1Probe, ArmProbe][] = [
    [
      "every timing of an exec probe",
      { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 6, successThreshold: 1, timeoutSeconds: 3 },
      { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 6, successThreshold: 1, timeoutSeconds: 3 },
    ],
    // The API server defaults path to "/" and scheme to HTTP; a manifest translated offline may leave both out.
    ["an httpGet probe without path or scheme: neither is sent", { httpGet: { port: 8080 } }, { httpGet: { port: 8080 } }],
    ["scheme HTTPS, in ACI's lowercase", { httpGet: { path: "/healthz", port: 8443, scheme: "HTTPS" } }, { httpGet: { path: "/healthz", port: 8443, scheme: "https" } }],
    ["scheme HTTP, in ACI's lowercase", { httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" } }, { httpGet: { path: "/healthz", port: 8080, scheme: "http" } }],
    [
      // A header without a value is sent empty, as the kubelet sends Go's zero value.
      "headers with their values",
      { httpGet: { path: "/healthz", port: 8080, httpHeaders: [{ name: "Host", value: "shop.example.com" }, { name: "X-Probe", value: undefined as unknown as string }] } },
      { httpGet: { path: "/healthz", port: 8080, httpHeaders: [{ name: "Host", value: "shop.example.com" }, { name: "X-Probe", value: "" }] } },
    ],
    ["the lowest port, 1", { httpGet: { path: "/", port: 1 } }, { httpGet: { path: "/", port: 1 } }],
    ["the highest port, 65535", { httpGet: { path: "/", port: 65535 } }, { httpGet: { path: "/", port: 65535 } }],
    ["a port named after the container's second port", { httpGet: { path: "/metrics", port: portNamed("metrics") } }, { httpGet: { path: "/metrics", port: 9090 } }],
    ["a port name ending in a digit", { httpGet: { path: "/", port: portNamed("http2") } }, { httpGet: { path: "/", port: 8443 } }],
    ["a port name starting with digits", { httpGet: { path: "/", port: portNamed("8080-admin") } }, { httpGet: { path: "/", port: 9443 } }],
    ["a port number written as text", { httpGet: { path: "/", port: portNamed("8080") } }, { httpGet: { path: "/", port: 8080 } }],
  ];
  const namedPorts: V1ContainerPort[] = [...ports, { name: "http2", containerPort: 8443 }, { name: "8080-admin", containerPort: 9443 }];
  for (const [description, probe, expected] of cases) {
    it(description, () => assert.deepEqual(sent(probe, namedPorts), expected));
  }
});

describe("a probe ACI cannot run, refused naming the field", () => {
  const cases: [string, V1Probe, Problem[]][] = [
    // A number out of range is refused with the pod's shape; as text, once read as a number.
    ["port 0", { httpGet: { path: "/", port: 0 } }, [{ path: `${livenessPath}.httpGet.port`, message: "must be a port number (1-65535) or a port name" }]],
    ["port 65536", { httpGet: { path: "/", port: 65536 } }, [{ path: `${livenessPath}.httpGet.port`, message: "must be a port number (1-65535) or a port name" }]],
    ["port 0, as text", { httpGet: { path: "/", port: portNamed("0") } }, [{ path: `${livenessPath}.httpGet.port`, message: "must be a port number from 1 to 65535" }]],
    ["port 65536, as text", { httpGet: { path: "/", port: portNamed("65536") } }, [{ path: `${livenessPath}.httpGet.port`, message: "must be a port number from 1 to 65535" }]],
    ["a port name the container does not have", { httpGet: { path: "/", port: portNamed("admin") } }, [{ path: `${livenessPath}.httpGet.port`, message: 'no container port is named "admin"' }]],
    ["no port", { httpGet: { path: "/", port: undefined as unknown as number } }, [{ path: `${livenessPath}.httpGet.port`, message: "is required" }]],
    // The kubelet probes the pod's IP unless told otherwise; ACI only ever probes the container itself.
    ["another host", { httpGet: { path: "/", port: 8080, host: "10.0.0.5" } }, [{ path: `${livenessPath}.httpGet.host`, message: "ACI probes the container itself; another host cannot be set" }]],
    [
      "a header without a name",
      { httpGet: { path: "/", port: 8080, httpHeaders: [{ name: "Accept", value: "text/plain" }, { name: "", value: "x" }] } },
      [{ path: `${livenessPath}.httpGet.httpHeaders[1].name`, message: "is required" }],
    ],
    ["an exec probe without a command", { exec: {} }, [{ path: `${livenessPath}.exec.command`, message: "is required" }]],
    ["an exec probe with an empty command", { exec: { command: [] } }, [{ path: `${livenessPath}.exec.command`, message: "is required" }]],
    ["a tcpSocket probe", { tcpSocket: { port: 8080 } }, [{ path: `${livenessPath}.tcpSocket`, message: "ACI runs exec and httpGet probes only; tcpSocket probes cannot be expressed" }]],
    ["a grpc probe", { grpc: { port: 9090 } }, [{ path: `${livenessPath}.grpc`, message: "ACI runs exec and httpGet probes only; grpc probes cannot be expressed" }]],
    // The API server refuses one ("must specify a handler type"); a manifest translated offline may hold one.
    ["a probe without a handler", { periodSeconds: 10 }, [{ path: livenessPath, message: "ACI runs exec and httpGet probes only; this probe has neither" }]],
  ];
  for (const [description, probe, problems] of cases) {
    it(description, () => assert.deepEqual(problemsOf(podProbing(probe)), problems));
  }

  it("a readiness probe is refused at its own field", () => {
    const pod = podFrom({ containers: [container({ readinessProbe: { tcpSocket: { port: 8080 } } })] });
    assert.deepEqual(problemsOf(pod), [{ path: "spec.containers[0].readinessProbe.tcpSocket", message: "ACI runs exec and httpGet probes only; tcpSocket probes cannot be expressed" }]);
  });
});
