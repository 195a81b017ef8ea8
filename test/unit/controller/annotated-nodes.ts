// Virtual nodes whose annotations a publisher writes, each as itself: what the publishers' tests read
// back, with the option of a node that cannot be written.
import type { NodeClient } from "../../../shared/kube/node-client.js";
import type { NodeAsItself } from "../../../shared/controller/node-annotations.js";
import type { Logger } from "../../../shared/runtime/logger.js";

export function annotatedNodes(names: readonly string[], failing = new Set<string>()) {
  const annotations = new Map<string, Record<string, string>>(names.map((n) => [n, {}]));
  const patches: string[] = [];
  const client = (name: string) =>
    ({
      patchNodeAnnotations: (_n: string, changes: Readonly<Record<string, string | null>>) => {
        patches.push(name);
        if (failing.has(name)) return Promise.reject(new Error("connect ECONNREFUSED"));
        Object.assign(annotations.get(name)!, changes);
        return Promise.resolve();
      },
    }) as unknown as NodeClient;
  const warnings: { message: string; fields: unknown }[] = [];
  const log: Logger = { info: () => undefined, warn: (message, fields) => void warnings.push({ message, fields }), error: () => undefined };
  const nodes = (): NodeAsItself[] => names.map((name) => ({ name, client: client(name) }));
  return { nodes, annotations, patches, warnings, failing, log };
}
