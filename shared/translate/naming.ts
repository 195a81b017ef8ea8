// The container group's name and tags. The name is derived from namespace, name and UID, so a retried
// create finds the same group, and a pod recreated under the same name never adopts the old pod's group.
import { createHash } from "node:crypto";

/** 16 hex digits (64 bits) of sha256(namespace/name/uid): distinct pods never share a name in practice. */
const hashLength = 16;
const maxName = 63;

export function containerGroupName(pod: { namespace: string; name: string; uid: string }): string {
  const hash = createHash("sha256").update(`${pod.namespace}/${pod.name}/${pod.uid}`).digest("hex").slice(0, hashLength);
  // A readable prefix for people browsing the resource group; the hash alone makes it unique.
  const prefix = `${pod.namespace}-${pod.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, maxName - hashLength - 1)
    .replace(/^-+|-+$/g, "");
  return prefix === "" ? hash : `${prefix}-${hash}`;
}

/**
 * A Kubernetes DNS label (RFC 1123): what the API server requires of container and volume names, and what
 * ACI accepts for them (1-63 characters, lowercase for volumes).
 */
export const dnsLabel = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const notDnsLabel = "must be a DNS label: at most 63 lowercase letters, digits and '-'";

/** ARM tag names cannot hold '/', so these are plain words (azure-aci's names, plus the connector). */
export const tagNames = {
  namespace: "Namespace",
  podName: "PodName",
  uid: "UID",
  node: "NodeName",
  connector: "AciConnector",
  /** The cluster's identity (its kube-system namespace's UID): two clusters' connectors of one name never mix. */
  clusterId: "ClusterId",
  creationTimestamp: "CreationTimestamp",
} as const;

export function containerGroupTags(input: {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  connector: string;
  clusterId: string;
  creationTimestamp: string;
}): Record<string, string> {
  return {
    [tagNames.namespace]: input.namespace,
    [tagNames.podName]: input.name,
    [tagNames.uid]: input.uid,
    [tagNames.node]: input.node,
    [tagNames.connector]: input.connector,
    [tagNames.clusterId]: input.clusterId,
    [tagNames.creationTimestamp]: input.creationTimestamp,
  };
}
