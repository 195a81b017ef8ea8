// The webhook's secret path segment (WEBHOOK_PATH_TOKEN) must reach no telemetry: whoever can read
// Application Insights could otherwise ring the doorbell. Every span the worker exports passes through
// this first: its name, attributes (url.path, url.full, http.target, ...), events and status message lose
// whatever follows the webhook's route, whatever token was presented (a wrong or an old one too), and
// the configured token wherever else it may appear.
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Attributes, AttributeValue } from "@opentelemetry/api";

export const redactedToken = "{token}";

export interface TokenScrub {
  (text: string): string;
}

/**
 * A scrub for the webhook's route: `pathPrefix` is the route up to its token ("/api/pod-webhook/"), and
 * `token` the configured secret, if any.
 */
export function webhookTokenScrub(pathPrefix: string, token: string | undefined): TokenScrub {
  const escaped = pathPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // The segment after the prefix, up to the next separator of a URL or of the text around it.
  const afterPrefix = new RegExp(`(${escaped})[^/?#\\s"'<>]+`, "gi");
  return (text) => {
    let scrubbed = text.replace(afterPrefix, `$1${redactedToken}`);
    if (token !== undefined && token !== "") scrubbed = scrubbed.split(token).join(redactedToken);
    return scrubbed;
  };
}

/** Exports through `inner` the same spans, each with every text scrubbed. */
export function scrubbingSpanExporter(inner: SpanExporter, scrub: TokenScrub): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => inner.export(spans.map((span) => scrubbedSpan(span, scrub)), done),
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush !== undefined && { forceFlush: () => inner.forceFlush!() }),
  };
}

function scrubbedSpan(span: ReadableSpan, scrub: TokenScrub): ReadableSpan {
  return {
    name: scrub(span.name),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext !== undefined && { parentSpanContext: span.parentSpanContext }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { ...span.status, ...(span.status.message !== undefined && { message: scrub(span.status.message) }) },
    attributes: scrubbedAttributes(span.attributes, scrub),
    links: span.links.map((link) => ({ ...link, ...(link.attributes !== undefined && { attributes: scrubbedAttributes(link.attributes, scrub) }) })),
    events: span.events.map((event) => ({ ...event, name: scrub(event.name), ...(event.attributes !== undefined && { attributes: scrubbedAttributes(event.attributes, scrub) }) })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

function scrubbedAttributes(attributes: Attributes, scrub: TokenScrub): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, scrubbedValue(value, scrub)]));
}

function scrubbedValue(value: AttributeValue | undefined, scrub: TokenScrub): AttributeValue | undefined {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? scrub(v) : v)) as AttributeValue;
  return value;
}
