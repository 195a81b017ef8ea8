// The doorbell that travels from the webhook to podEvents: which pod to look at, nothing to trust.
// podEvents re-reads the pod from the API server before it acts on anything.
import { dnsLabel, notDnsLabel } from "../translate/naming.js";
import { readEventEnvelope } from "./event-envelope.js";
import { fieldsOf, refused, shown, type Reading } from "./reading.js";
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

/**
 * The doorbell as the CloudEvent the topic receives (its subscription delivers it as is to podEvents). The
 * publisher client stamps its `time` when it sends: the moment the webhook rang, within milliseconds.
 */
export function podChangedCloudEvent(event: PodChanged, source: string): { type: string; source: string; subject: string; data: PodChanged } {
  return { type: podChangedEventType, source, subject: `namespaces/${event.namespace}/pods/${event.name}`, data: event };
}

// The API server's own rules (k8s.io/apimachinery validation): a namespace is a DNS label, a pod's and a
// node's name a DNS subdomain, a UID the text form of a UUID.
const dnsSubdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const subdomainRule = "a DNS subdomain: at most 253 lowercase letters, digits, '-' and '.'";

/** Reads a PodChanged from an untrusted payload (`at` names it in the problems), or every field that is wrong. */
export function parsePodChanged(value: unknown, at = "data"): Reading<PodChanged> {
  const fields = fieldsOf(value);
  if (fields === undefined) return refused([`${at} must be a JSON object with namespace and name, got ${shown(value)}`]);
  const { namespace, name, uid, node } = fields;
  const problems: string[] = [];
  if (typeof namespace !== "string" || !dnsLabel.test(namespace)) problems.push(`${at}.namespace must be a namespace name (${notDnsLabel.replace("must be ", "")}), got ${shown(namespace)}`);
  if (typeof name !== "string" || !dnsSubdomain.test(name)) problems.push(`${at}.name must be a pod name (${subdomainRule}), got ${shown(name)}`);
  if (uid !== undefined && (typeof uid !== "string" || !uuid.test(uid))) problems.push(`${at}.uid must be a pod's UID (a lowercase UUID), got ${shown(uid)}`);
  if (node !== undefined && (typeof node !== "string" || !dnsSubdomain.test(node))) problems.push(`${at}.node must be a node name (${subdomainRule}), got ${shown(node)}`);
  if (problems.length > 0) return refused(problems);
  return {
    ok: true,
    value: { namespace: namespace as string, name: name as string, ...(uid !== undefined && { uid: uid as string }), ...(node !== undefined && { node: node as string }) },
  };
}

/** When the webhook rang the doorbell in this event (the event's time), if it says so. */
export function rungAtOf(input: unknown): Date | undefined {
  const envelope = readEventEnvelope(input);
  return envelope.ok ? envelope.value.time : undefined;
}

/** The doorbell in an event as podEvents receives it (either schema), or why the event is not one. */
export function readPodChangedEvent(input: unknown): Reading<PodChanged> {
  const envelope = readEventEnvelope(input);
  if (!envelope.ok) return envelope;
  if (envelope.value.type !== podChangedEventType) return refused([`type must be ${podChangedEventType}, got ${shown(envelope.value.type)}`]);
  return parsePodChanged(envelope.value.data);
}
