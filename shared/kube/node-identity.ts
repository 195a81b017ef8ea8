// The connector acts in the cluster as each of its virtual nodes, exactly as a kubelet does: user
// `system:node:<name>` in group `system:nodes`. Its own credential (the managed identity, or a client
// certificate locally) may do little more than impersonate those identities, so the API server's Node
// authorizer and NodeRestriction admission confine it as they confine a kubelet: its own Node and
// Lease, the pods bound to it, and only the Secrets and ConfigMaps those pods reference
// (docs/decisions/least-privilege.md).
import { KubeConfig } from "@kubernetes/client-node";

/** The group every kubelet is in; the Node authorizer recognises a node by it and by the user name. */
export const nodesGroup = "system:nodes";

/** The user name a kubelet of this node authenticates as. */
export function nodeUser(nodeName: string): string {
  return `system:node:${nodeName}`;
}

/** The identity a request made "as a node" carries, for logs, docs and `kubectl auth can-i --as`. */
export interface NodeIdentity {
  readonly node: string;
  readonly user: string;
  readonly groups: readonly string[];
}

export function nodeIdentity(nodeName: string): NodeIdentity {
  return { node: nodeName, user: nodeUser(nodeName), groups: [nodesGroup] };
}

/**
 * The same cluster and credential, every request impersonating the node. client-node knows only
 * Impersonate-User (from a kubeconfig's `as`); the Node authorizer also needs the group, so both
 * headers are set here, after the credential has been applied.
 */
export function kubeConfigAsNode(base: KubeConfig, nodeName: string): KubeConfig {
  const asNode = new KubeConfig();
  asNode.loadFromOptions({
    clusters: base.getClusters(),
    users: base.getUsers(),
    contexts: base.getContexts(),
    currentContext: base.getCurrentContext(),
  });
  const applyCredential = asNode.applySecurityAuthentication.bind(asNode);
  asNode.applySecurityAuthentication = async (context) => {
    await applyCredential(context);
    context.setHeaderParam("Impersonate-User", nodeUser(nodeName));
    context.setHeaderParam("Impersonate-Group", nodesGroup);
  };
  return asNode;
}
