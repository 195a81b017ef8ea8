// ARM's limit on a request body, checked on the translated group: ARM answers a larger PUT with
// 413 RequestContentTooLarge ("The request content size exceeds the maximum size of 4 MB."), and the
// same PUT would be refused the same way on every retry. 10,000 environment variables of 400 characters
// are enough. The refusal says which parts of the pod make the body big, so the user knows what to move.
//
// Sources: ARM's error as users quote it, e.g. Azure/azure-api-management-devops-resource-kit#594 (a
// maintainer: "it is an ARM limitation") and Azure/Azure-Landing-Zones#2644; the same 4 MB for templates
// in https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-job-size-exceeded.
// Microsoft documents "4 MB" without a byte count; 4 MiB is the reading other Azure services document
// (Storage: MaxLimit 4194304), so a body this check lets through may still be refused if ARM means 4,000,000.
import type { V1Pod } from "@kubernetes/client-node";
import type { ArmContainerGroup } from "./arm-types.js";
import type { ProblemList } from "./problems.js";

export const armMaxRequestBytes = 4 * 1024 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), "utf8");
const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Adds a problem when the body, as JSON, is over ARM's limit: at the largest part's field, naming the largest parts. */
export function checkRequestSize(body: ArmContainerGroup, pod: V1Pod, problems: ProblemList): void {
  const total = bytes(body);
  if (total <= armMaxRequestBytes) return;
  const parts: { path: string; what: string; size: number }[] = [];
  for (const list of ["initContainers", "containers"] as const) {
    (body.properties[list] ?? []).forEach((c, i) => {
      const { environmentVariables, command } = c.properties;
      parts.push({ path: `spec.${list}[${i}].env`, what: `the environment variables (env and envFrom) of container "${c.name}"`, size: bytes(environmentVariables) });
      parts.push({ path: `spec.${list}[${i}].command`, what: `the command and args of container "${c.name}"`, size: bytes(command) });
    });
  }
  for (const volume of body.properties.volumes ?? []) {
    const index = (pod.spec?.volumes ?? []).findIndex((v) => v.name === volume.name);
    parts.push({ path: `spec.volumes[${index}]`, what: `the files of volume "${volume.name}" (Secret, ConfigMap or downward API content)`, size: bytes(volume) });
  }
  const largest = parts.sort((a, b) => b.size - a.size).filter((p, i) => i === 0 || p.size >= total / 10).slice(0, 3);
  problems.add(
    largest[0]?.path ?? "spec",
    `the container group would be a ${megabytes(total)} request to Azure Resource Manager, which refuses request bodies over 4 MB (${armMaxRequestBytes.toLocaleString("en")} bytes). ` +
      `The largest parts: ${largest.map((p) => `${p.what}, ${megabytes(p.size)}`).join("; ")}. ` +
      "Keep large data out of environment variables and Secret or ConfigMap volumes: put it in the image, or in an Azure Files share mounted as a volume.",
  );
}
