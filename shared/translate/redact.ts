// A container group body fit for people to read: every secret value replaced, the structure kept.
import type { ArmContainerGroup } from "./arm-types.js";

export const redacted = "<redacted>";

export function redactContainerGroup(body: ArmContainerGroup): ArmContainerGroup {
  const copy = structuredClone(body);
  const p = copy.properties;
  for (const c of [...p.containers, ...(p.initContainers ?? [])]) {
    for (const env of c.properties.environmentVariables ?? []) if (env.secureValue !== undefined) env.secureValue = redacted;
  }
  for (const v of p.volumes ?? []) {
    if (v.secret !== undefined) v.secret = Object.fromEntries(Object.keys(v.secret).map((k) => [k, redacted]));
    if (v.azureFile?.storageAccountKey !== undefined) v.azureFile.storageAccountKey = redacted;
  }
  for (const r of p.imageRegistryCredentials ?? []) if (r.password !== undefined) r.password = redacted;
  return copy;
}
