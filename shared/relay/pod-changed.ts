// The doorbell that travels from the webhook to podEvents: which pod to look at, nothing to trust.
// podEvents re-reads the pod from the API server before it acts on anything.
export interface PodChanged {
  readonly namespace: string;
  readonly name: string;
  /** The pod's UID when the admission request carried it (pods CREATE/DELETE; a Binding has none). */
  readonly uid?: string;
  /** The node the pod is bound to, when known. */
  readonly node?: string;
}

/** The relay between the webhook and podEvents: at-least-once, unordered, as Event Grid delivers. */
export interface PodEventRelay {
  publish(event: PodChanged, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

export const podChangedEventType = "aci-connector.pod.changed";

/** The doorbell as the CloudEvent the topic receives (its subscription delivers it as is to podEvents). */
export function podChangedCloudEvent(event: PodChanged, source: string): { type: string; source: string; subject: string; data: PodChanged } {
  return { type: podChangedEventType, source, subject: `namespaces/${event.namespace}/pods/${event.name}`, data: event };
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const uidPattern = /^[0-9a-f-]{36}$/;

/** Reads a PodChanged from an untrusted event payload; undefined when it is not one. */
export function parsePodChanged(data: unknown): PodChanged | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { namespace, name, uid, node } = data as Record<string, unknown>;
  if (typeof namespace !== "string" || !dnsSubdomain.test(namespace)) return undefined;
  if (typeof name !== "string" || !dnsSubdomain.test(name)) return undefined;
  if (uid !== undefined && (typeof uid !== "string" || !uidPattern.test(uid))) return undefined;
  if (node !== undefined && (typeof node !== "string" || !dnsSubdomain.test(node))) return undefined;
  return { namespace, name, ...(uid !== undefined && { uid }), ...(node !== undefined && { node }) };
}
