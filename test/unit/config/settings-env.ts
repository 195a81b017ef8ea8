// The smallest environment the settings accept, and the problems of one they refuse.
import assert from "node:assert/strict";
import { readSettings, SettingsError } from "../../../shared/config/settings.js";

export const validEnv = {
  ACI_CONNECTOR_NAME: "aci-connector",
  ACI_CONNECTOR_CLUSTER_ID: "3f1c2b7a-9d1e-4c55-8a77-0e2d4b6f8a10",
  ACI_LOCATION: "westeurope",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001",
  ACI_RESOURCE_GROUP: "aci-rg",
  KUBECONFIG: "/tmp/kubeconfig",
  WEBHOOK_PATH_TOKEN: "x".repeat(43),
};

/** What the settings say is wrong with this environment; fails the test if they accept it. */
export function settingsProblems(env: Record<string, string | undefined>): readonly string[] {
  try {
    readSettings(env);
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.problems;
  }
  assert.fail("the settings were accepted");
}
