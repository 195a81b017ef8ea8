// Resource quantities as Kubernetes writes them (apimachinery resource.Quantity: `<signedNumber><suffix>`,
// a number as `1`, `1.5`, `1.` or `.5`, a suffix binary (Ki..Ei), decimal (m, k, M..E) or a decimal
// exponent `e<signedNumber>`; JSON's UnmarshalJSON trims spaces first), and what a container may ask of ACI.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ResourceRequirements } from "@kubernetes/client-node";
import { parseQuantity } from "../../../shared/translate/resources.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

describe("parsing a Kubernetes quantity", () => {
  const cases: [string, unknown, number | undefined][] = [
    ["zero", "0", 0],
    ["a sign", "+1", 1],
    ["a fraction without a leading digit", ".25", 0.25],
    ["a number ending in a point", "2.", 2],
    ["a decimal exponent", "1e3", 1000],
    ["a negative exponent", "100e-3", 0.1],
    ["an exponent of two digits", "5e10", 5e10],
    ["an exponent with its sign", "2E+2", 200],
    ["the exa suffix, not an exponent", "1E", 1e18],
    ["spaces around it, as UnmarshalJSON trims them", " 500m ", 0.5],
    ["the largest 64-bit figure below 2^63 in Ei", "7Ei", 7 * 2 ** 60],
    ["2^63 as 8Ei", "8Ei", undefined],
    ["2^63 in digits", "9223372036854775808", undefined],
    ["text before the number", "x1", undefined],
    ["text after the suffix", "1Gi2", undefined],
    ["a unit Kubernetes does not know", "1GB", undefined],
    ["a negative quantity", "-1", undefined],
  ];
  for (const [description, text, value] of cases) {
    it(`${description}: ${JSON.stringify(text)}`, () => assert.equal(parseQuantity(text), value));
  }
});

describe("a container's resources", () => {
  const resourcesOf = (resources: V1ResourceRequirements) => translate(podFrom({ containers: [container({ resources })] }, { annotations: { "virtual-kubelet.io/gpu-type": "V100" } })).body.properties.containers[0]!.properties.resources;
  const problems = (resources: V1ResourceRequirements) => problemsOf(podFrom({ containers: [container({ resources })] }, { annotations: { "virtual-kubelet.io/gpu-type": "V100" } })).map(({ path, message }) => ({ path, message }));

  it("a GPU given in limits only, as Kubernetes requires extended resources (requests default to limits)", () => {
    assert.deepEqual(resourcesOf({ limits: { "nvidia.com/gpu": "2" } }).requests.gpu, { count: 2, sku: "V100" });
  });

  it("a GPU given in requests only", () => {
    assert.deepEqual(resourcesOf({ requests: { "nvidia.com/gpu": "1" } }).requests.gpu, { count: 1, sku: "V100" });
  });

  it("ephemeral-storage is accepted and not sent (ACI's ResourceRequests have cpu, memoryInGB and gpu only)", () => {
    assert.deepEqual(resourcesOf({ requests: { "ephemeral-storage": "2Gi", cpu: "1", memory: "1G" } }).requests, { cpu: 1, memoryInGB: 1 });
  });

  const refusals: [string, V1ResourceRequirements, { path: string; message: string }[]][] = [
    ["limits.memory that is no quantity", { limits: { memory: "lots" } }, [{ path: "spec.containers[0].resources.limits.memory", message: '"lots" is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)' }]],
    // A GPU is a whole device: Kubernetes refuses fractions of extended resources, and ACI counts GPUs.
    ["no GPU", { limits: { "nvidia.com/gpu": "0" } }, [{ path: 'spec.containers[0].resources.limits["nvidia.com/gpu"]', message: '"0" must be a whole number of GPUs' }]],
    ["half a GPU", { limits: { "nvidia.com/gpu": "1.5" } }, [{ path: 'spec.containers[0].resources.limits["nvidia.com/gpu"]', message: '"1.5" must be a whole number of GPUs' }]],
    ["hugepages in requests", { requests: { "hugepages-2Mi": "100Mi" } }, [{ path: "spec.containers[0].resources", message: 'ACI cannot provide the resource "hugepages-2Mi"' }]],
    ["a device plugin's resource in limits", { limits: { "example.com/fpga": "1" } }, [{ path: "spec.containers[0].resources", message: 'ACI cannot provide the resource "example.com/fpga"' }]],
  ];
  for (const [description, resources, expected] of refusals) {
    it(`refuses ${description}`, () => assert.deepEqual(problems(resources), expected));
  }
});
