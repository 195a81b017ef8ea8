// A translation refuses a pod with every problem at once, each with the field it concerns, so a user
// fixes the manifest in one go instead of one error per apply.
export interface Problem {
  /** The pod field, e.g. `spec.containers[0].args`. */
  readonly path: string;
  readonly message: string;
  /** A reference not found (yet): creating the Secret or ConfigMap (or its key) would let the pod run. */
  readonly missingReference?: MissingReference;
}

/** A Secret or ConfigMap, or one of its keys, that a pod refers to and that does not exist. */
export interface MissingReference {
  readonly kind: "Secret" | "ConfigMap";
  readonly name: string;
  readonly key?: string;
}

/** An optional reference that does not exist: the pod runs without it, and its user is told. */
export interface SkippedReference extends MissingReference {
  readonly path: string;
  /** The environment variable left unset, for a reference of `env[].valueFrom`. */
  readonly envName?: string;
}

/** How a translation names a missing reference in a problem. */
export function missingText(ref: MissingReference): string {
  return ref.key === undefined ? `${ref.kind} "${ref.name}" not found` : `${ref.kind} "${ref.name}" has no key ${quoted(ref.key)}`;
}

/** A value from the manifest, quoted for a message: cut short, so a huge value cannot flood a pod's status. */
export function quoted(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

export class TranslationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`the pod cannot run in Azure Container Instances:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "TranslationError";
  }
}

/**
 * Collects problems while a translation goes on, and the optional references it went without;
 * `throwIfAny` ends it.
 */
export class ProblemList {
  private readonly items: Problem[] = [];
  private readonly skippedItems: SkippedReference[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** A Secret or ConfigMap that does not exist (yet), or lacks a key: the pod may run once it does. */
  missing(path: string, ref: MissingReference, message = missingText(ref)): void {
    this.items.push({ path, message, missingReference: ref });
  }

  /** An optional Secret or ConfigMap (or key) that does not exist: not a problem, but worth telling. */
  skipped(path: string, ref: MissingReference, envName?: string): void {
    this.skippedItems.push({ path, ...ref, ...(envName !== undefined && { envName }) });
  }

  get all(): readonly Problem[] {
    return this.items;
  }

  get skippedReferences(): readonly SkippedReference[] {
    return this.skippedItems;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new TranslationError(this.items);
  }
}
