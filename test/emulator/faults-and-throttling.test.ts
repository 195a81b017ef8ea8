// Faults and ARM throttling as the SDK sees them: RestErrors with status and code, and the SDK's own
// retry honouring Retry-After.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { readFileSync } from "node:fs";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { createArmMeter } from "../../shared/aci/arm-meter.js";
import { createArmThrottle } from "../../shared/aci/arm-throttle.js";
import { connectorArmClient, startTestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";

describe("ACI emulator: faults and throttling", () => {
  it("an injected 500 reaches the SDK as a RestError once its retries are spent", async () => {
    const emulator = await startTestEmulator();
    try {
      emulator.control.injectFault({ operation: "containerGroups.listByResourceGroup", status: 500, code: "InternalServerError", message: "boom" });
      const list = async () => {
        for await (const _ of emulator.client.containerGroups.listByResourceGroup(emulator.resourceGroup)) void _;
      };
      await assert.rejects(list, (e: { statusCode?: number; code?: string }) => e.statusCode === 500 && e.code === "InternalServerError");
      // The test client retries once: two requests reached the emulator.
      assert.equal(emulator.control.counters()["containerGroups.listByResourceGroup"], 2);
    } finally {
      await emulator.stop();
    }
  });

  it("a 429 with Retry-After is retried by the SDK after the time it names", async () => {
    const emulator = await startTestEmulator();
    try {
      // The SDK's default policy, which honours Retry-After.
      const client = new ContainerInstanceManagementClient(emulatorCredential, emulator.subscriptionId, {
        endpoint: emulator.endpoint,
        credentialScopes: ["https://management.azure.com/.default"],
        tlsOptions: { ca: readFileSync(emulator.caFile, "utf8") },
      });
      emulator.control.injectFault({ operation: "location.listUsage", count: 1, status: 429, code: "SubscriptionRequestsThrottled", message: "slow down", retryAfterSeconds: 1 });
      const started = Date.now();
      const names: string[] = [];
      for await (const u of client.location.listUsage("westeurope")) names.push(u.name!.value!);
      assert.ok(names.includes("ContainerGroups"));
      assert.ok(Date.now() - started >= 900, "the retry waited for Retry-After");
      assert.equal(emulator.control.counters()["location.listUsage"], 2);
    } finally {
      await emulator.stop();
    }
  });

  it("a dropped connection and a 409 ServiceUnavailable are distinguishable", async () => {
    const emulator = await startTestEmulator();
    try {
      emulator.control.injectFault({ operation: "location.listUsage", count: 2, drop: true });
      const usages = async () => {
        for await (const _ of emulator.client.location.listUsage("westeurope")) void _;
      };
      await assert.rejects(usages, (e: { statusCode?: number; code?: string }) => e.statusCode === undefined);
      emulator.control.injectFault({ operation: "location.listUsage", count: 2, status: 409, code: "ServiceUnavailable", message: "The requested resource is not available in the location 'westeurope' at this moment." });
      await assert.rejects(usages, (e: { statusCode?: number; code?: string }) => e.statusCode === 409 && e.code === "ServiceUnavailable");
    } finally {
      await emulator.stop();
    }
  });

  it("throttles with ARM's token buckets: remaining-count headers, then 429 with Retry-After in ARM's words, then a refill", async () => {
    // The emulator's clock is pinned: a slow machine spreading the requests over seconds changes nothing.
    let now = Date.parse("2025-01-01T10:00:00Z");
    const emulator = await startTestEmulator({ throttling: { reads: { capacity: 3, refillPerSecond: 1 } }, clock: () => now });
    try {
      const path = `/subscriptions/${emulator.subscriptionId}/providers/Microsoft.ContainerInstance/locations/westeurope/usages?api-version=2023-05-01`;
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) remaining.push(String((await rawArm(emulator, "GET", path)).headers["x-ms-ratelimit-remaining-subscription-reads"]));
      assert.deepEqual(remaining, ["2", "1", "0"]);
      const throttled = await rawArm(emulator, "GET", path);
      assert.equal(throttled.status, 429);
      // ARM's answer as velero-io/velero#9171 quotes it (2025, token buckets): "Number of 'read' requests
      // for subscription '...' actor '...' exceeded. Please try again after '1' seconds after additional
      // tokens are available. Refer to https://aka.ms/arm-throttling for additional information."; the
      // Retry-After header in seconds: learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling.
      const { code, message } = (throttled.json as { error: { code: string; message: string } }).error;
      assert.equal(code, "SubscriptionRequestsThrottled");
      assert.match(message, new RegExp(`^Number of 'read' requests for subscription '${emulator.subscriptionId}' actor '[0-9a-f-]{36}' exceeded\\. Please try again after '1' seconds after additional tokens are available\\. Refer to https://aka\\.ms/arm-throttling for additional information\\.$`));
      assert.equal(throttled.headers["retry-after"], "1");
      now += 999;
      assert.equal((await rawArm(emulator, "GET", path)).status, 429, "one token needs a full second");
      now += 1;
      const refilled = await rawArm(emulator, "GET", path);
      assert.equal(refilled.status, 200);
      assert.equal(refilled.headers["x-ms-ratelimit-remaining-subscription-reads"], "0");
    } finally {
      await emulator.stop();
    }
  });

  it("the connector's ARM client counts its reads and hears what is left of the bucket through the real SDK", async () => {
    const now = Date.parse("2025-01-01T10:00:00Z");
    const emulator = await startTestEmulator({ throttling: { reads: { capacity: 10, refillPerSecond: 1 } }, clock: () => now });
    try {
      const meter = createArmMeter();
      const client = connectorArmClient(emulator, createArmThrottle({ now: () => new Date(now) }), meter);
      for (let i = 0; i < 3; i++) for await (const _ of client.location.listUsage("westeurope")) void _;
      await client.containerGroups.get(emulator.resourceGroup, "absent").catch(() => undefined);
      assert.equal(meter.sent("reads"), 4);
      assert.equal(meter.remaining("reads"), 6);
      assert.equal(meter.sent("writes"), 0);
    } finally {
      await emulator.stop();
    }
  });
});
