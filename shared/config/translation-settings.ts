// What the translation needs from the connector's settings, in one place for the functions and the tests.
import type { TranslationSettings } from "../translate/pod-to-container-group.js";
import type { Settings } from "./settings.js";

export function translationSettings(settings: Settings): TranslationSettings {
  return {
    connectorName: settings.connectorName,
    clusterId: settings.clusterId,
    location: settings.location,
    ...(settings.subnetId !== undefined && { subnetId: settings.subnetId }),
    ...(settings.pullIdentity !== undefined && { pullIdentity: settings.pullIdentity }),
    workloadIdentities: settings.workloadIdentities,
  };
}
