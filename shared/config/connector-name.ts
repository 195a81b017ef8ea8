// What a connector name must be, checked the same way by the settings (in Azure) and by install before it
// changes anything. The name ends up in its nodes' names, virtual-kubelet-<name>-<os>-<location>, which
// are also their `kubernetes.io/hostname` label, and a label value has at most 63 characters.
import { virtualNodeName, type VirtualNodeOs } from "../translate/virtual-node.js";

/** Kubernetes' limit on a label value (the node name is its kubernetes.io/hostname label). */
export const maxLabelValueLength = 63;
const maxNameLength = 30;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with the name's form, or undefined. `what` says where it came from (a setting, a flag). */
export function connectorNameFormProblem(name: string, what: string): string | undefined {
  if (dnsLabel.test(name) && name.length <= maxNameLength) return undefined;
  return `${what}="${name}" must be lowercase letters, digits and inner hyphens, at most ${maxNameLength} characters`;
}

/** Why the name's nodes in this location would have hostname labels too long, or undefined. */
export function connectorNameLengthProblem(name: string, location: string, osTypes: readonly VirtualNodeOs[], what: string): string | undefined {
  const longest = osTypes
    .map((os) => virtualNodeName({ connectorName: name, location, os }))
    .reduce((a, b) => (b.length > a.length ? b : a), "");
  if (longest.length <= maxLabelValueLength) return undefined;
  const max = name.length - (longest.length - maxLabelValueLength);
  return (
    `${what}="${name}" is too long for location ${location}: its node ${longest} (${longest.length} characters) would not fit the ` +
    `${maxLabelValueLength} characters of its kubernetes.io/hostname label; in ${location} a connector name has at most ${max} characters`
  );
}
