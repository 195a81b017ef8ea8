// The translation as the unit tables call it: a realistic node, settings and references unless told.
import assert from "node:assert/strict";
import type { V1ConfigMap, V1Pod, V1Secret } from "@kubernetes/client-node";
import { podToContainerGroup, type Translation, type TranslationSettings } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import { configMaps, linuxNode, secrets, settings, windowsNode } from "./realistic-pods.js";

export interface TranslateOptions {
  subnetId?: string;
  os?: "Linux" | "Windows";
  secrets?: ReadonlyMap<string, V1Secret>;
  configMaps?: ReadonlyMap<string, V1ConfigMap>;
  /** Settings beyond the realistic ones, e.g. a pull identity or the workload identities' allow-list. */
  settings?: Partial<TranslationSettings>;
}

export function translate(pod: V1Pod, options: TranslateOptions = {}): Translation {
  return podToContainerGroup({
    pod,
    references: { secrets: options.secrets ?? secrets, configMaps: options.configMaps ?? configMaps },
    node: options.os === "Windows" ? windowsNode : linuxNode,
    settings: { ...settings, ...(options.subnetId !== undefined && { subnetId: options.subnetId }), ...options.settings },
  });
}

/** The problems of a pod the translation refuses; fails the test if it is accepted or fails otherwise. */
export function problemsOf(pod: V1Pod, options: TranslateOptions = {}): readonly Problem[] {
  try {
    translate(pod, options);
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return error.problems;
  }
  assert.fail("the pod was accepted");
}
