// A translation refuses a pod with every problem at once, each with the field it concerns, so a user
// fixes the manifest in one go instead of one error per apply.
export interface Problem {
  /** The pod field, e.g. `spec.containers[0].args`. */
  readonly path: string;
  readonly message: string;
  /** A reference not found (yet): creating the Secret or ConfigMap would let the pod run. */
  readonly missingReference?: boolean;
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

/** Collects problems while a translation goes on; `throwIfAny` ends it. */
export class ProblemList {
  private readonly items: Problem[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** A Secret or ConfigMap that does not exist (yet), or lacks a key: the pod may run once it does. */
  missing(path: string, message: string): void {
    this.items.push({ path, message, missingReference: true });
  }

  get all(): readonly Problem[] {
    return this.items;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new TranslationError(this.items);
  }
}
