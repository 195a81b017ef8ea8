import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readSettings } from "../../../shared/config/settings.js";
import { settingsProblems, validEnv } from "./settings-env.js";

const valid = validEnv;
const problemsOf = settingsProblems;

describe("settings", () => {
  it("reads a minimal valid environment with the seed's defaults", () => {
    const settings = readSettings(valid);
    assert.equal(settings.connectorName, "aci-connector");
    assert.equal(settings.clusterId, "3f1c2b7a-9d1e-4c55-8a77-0e2d4b6f8a10");
    assert.deepEqual(settings.nodeOsTypes, ["Linux"]);
    assert.equal(settings.location, "westeurope");
    assert.deepEqual(settings.kubernetes, { kind: "kubeconfig", path: "/tmp/kubeconfig" });
    assert.equal(settings.nodeStatusIntervalSeconds, 60);
    assert.equal(settings.armReadShare, 0.5);
    assert.ok(Object.isFrozen(settings));
  });

  it("reads Azure Monitor's metrics endpoint: the region's data plane unless set, an https:// origin when set", () => {
    const settings = readSettings({ ...valid, ACI_LOCATION: "WestEurope" });
    assert.equal(settings.metricsEndpoint, "https://westeurope.metrics.monitor.azure.com");
    assert.equal(settings.metricsCaFile, undefined);
    const local = readSettings({ ...valid, METRICS_ENDPOINT: "https://127.0.0.1:8443/", METRICS_CA_FILE: "/tmp/ca.crt" });
    assert.deepEqual([local.metricsEndpoint, local.metricsCaFile], ["https://127.0.0.1:8443", "/tmp/ca.crt"]);
    assert.throws(() => readSettings({ ...valid, METRICS_ENDPOINT: "http://127.0.0.1:8443" }), /METRICS_ENDPOINT="http:\/\/127\.0\.0\.1:8443" must be an https:\/\/ origin/);
  });

  it("maps --os-type Both to a Linux and a Windows node, case-insensitively", () => {
    assert.deepEqual(readSettings({ ...valid, ACI_CONNECTOR_OS_TYPE: "both" }).nodeOsTypes, ["Linux", "Windows"]);
    assert.deepEqual(readSettings({ ...valid, ACI_CONNECTOR_OS_TYPE: "Windows" }).nodeOsTypes, ["Windows"]);
  });

  it("reads a service principal for ARM without keeping its secret, and names what it lacks without showing the secret", () => {
    const principal = { ACI_ARM_CLIENT_ID: "11111111-2222-3333-4444-555555555555", ACI_ARM_TENANT_ID: "66666666-7777-8888-9999-000000000000", ACI_ARM_CLIENT_SECRET: "the-secret-value" };
    const settings = readSettings({ ...valid, ...principal });
    assert.deepEqual(settings.armServicePrincipal, { clientId: principal.ACI_ARM_CLIENT_ID, tenantId: principal.ACI_ARM_TENANT_ID });
    assert.ok(!JSON.stringify(settings).includes("the-secret-value"));
    assert.equal(readSettings({ ...valid, ACI_ARM_CLIENT_ID: "", ACI_ARM_TENANT_ID: "", ACI_ARM_CLIENT_SECRET: "" }).armServicePrincipal, undefined, "Bicep's empty values mean none");
    const problems = problemsOf({ ...valid, ACI_ARM_CLIENT_ID: "not-a-guid", ACI_ARM_CLIENT_SECRET: "the-secret-value" });
    assert.deepEqual(problems, [
      "ACI_ARM_CLIENT_ID must be the service principal's application (client) id, a GUID",
      "ACI_ARM_TENANT_ID must be the service principal's tenant id, a GUID",
    ]);
  });

  it("reads KUBELET_ENDPOINT as host and port, and refuses anything else", () => {
    assert.deepEqual(readSettings({ ...valid, KUBELET_ENDPOINT: "func-abc.azurewebsites.net:443" }).kubeletEndpoint, { host: "func-abc.azurewebsites.net", port: 443 });
    assert.equal(readSettings(valid).kubeletEndpoint, undefined);
    for (const bad of ["https://func-abc.azurewebsites.net", "host:0", "host:99999", "host"]) {
      assert.match(problemsOf({ ...valid, KUBELET_ENDPOINT: bad }).join("\n"), /^KUBELET_ENDPOINT=/m, bad);
    }
  });

  it("names every missing setting at once", () => {
    const problems = problemsOf({});
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["ACI_CONNECTOR_NAME", "ACI_CONNECTOR_CLUSTER_ID", "ACI_LOCATION", "AZURE_SUBSCRIPTION_ID", "ACI_RESOURCE_GROUP", "no", "WEBHOOK_PATH_TOKEN"],
    );
    assert.match(problems[5]!, /no Kubernetes access: set KUBE_API_SERVER\+KUBE_CA_BASE64/);
  });

  it("reads reconcile's share of ARM's reads, from 0.01 to 1", () => {
    assert.equal(readSettings({ ...valid, ARM_READ_SHARE: "0.05" }).armReadShare, 0.05);
    assert.equal(readSettings({ ...valid, ARM_READ_SHARE: "1" }).armReadShare, 1);
    assert.equal(readSettings({ ...valid, ARM_READ_SHARE: "0.01" }).armReadShare, 0.01);
    for (const bad of ["0", "0.009", "1.5", "-0.5", "half"]) assert.match(problemsOf({ ...valid, ARM_READ_SHARE: bad })[0]!, /^ARM_READ_SHARE=".*" must be a number from 0.01 to 1/);
  });

  it("names every bad value with what it should be", () => {
    const problems = problemsOf({
      ...valid,
      ACI_CONNECTOR_NAME: "Bad_Name",
      ACI_CONNECTOR_CLUSTER_ID: "kube system",
      ACI_CONNECTOR_OS_TYPE: "Solaris",
      ACI_LOCATION: "West Europe",
      AZURE_SUBSCRIPTION_ID: "not-a-guid",
      ACI_SUBNET_ID: "subnet-1",
      ACI_NODE_CAPACITY_CPU: "lots",
      ARM_ENDPOINT: "http://127.0.0.1:8443",
      NODE_STATUS_INTERVAL_SECONDS: "600",
      ARM_READ_SHARE: "50%",
      WEBHOOK_PATH_TOKEN: "short",
      RELAY_TOPIC_ENDPOINT: "topic",
    });
    assert.deepEqual(problems, [
      'ACI_CONNECTOR_NAME="Bad_Name" must be lowercase letters, digits and inner hyphens, at most 30 characters',
      `ACI_CONNECTOR_CLUSTER_ID="kube system" must be the kube-system namespace's UID (letters, digits and hyphens)`,
      'ACI_CONNECTOR_OS_TYPE="Solaris" must be one of Linux, Windows, Both',
      'ACI_LOCATION="west europe" must be a region name such as westeurope (no spaces)',
      'AZURE_SUBSCRIPTION_ID="not-a-guid" is not a GUID',
      "ACI_SUBNET_ID must be a subnet resource id (/subscriptions/.../virtualNetworks/<vnet>/subnets/<subnet>)",
      'ACI_NODE_CAPACITY_CPU="lots" is not a Kubernetes quantity (e.g. 100, 400Gi)',
      'ARM_ENDPOINT="http://127.0.0.1:8443" must be an https:// origin (the Azure SDK sends tokens only over HTTPS)',
      'NODE_STATUS_INTERVAL_SECONDS="600" must be a whole number of seconds from 1 to 60',
      `ARM_READ_SHARE="50%" must be a number from 0.01 to 1: the share of ARM's 25 reads a second that reconcile may spend`,
      "WEBHOOK_PATH_TOKEN must be at least 32 URL-safe characters (letters, digits, - and _)",
      "RELAY_TOPIC_ENDPOINT must be the Event Grid topic's https:// endpoint",
    ]);
  });

  it("refuses a connector name whose node name would not fit a kubernetes.io/hostname label, giving the most the location allows", () => {
    const name29 = "a".repeat(29);
    // virtual-kubelet-<29>-linux-westeurope is 62 characters; with -windows- it is 64.
    assert.equal(readSettings({ ...valid, ACI_CONNECTOR_NAME: name29 }).connectorName, name29);
    assert.deepEqual(problemsOf({ ...valid, ACI_CONNECTOR_NAME: name29, ACI_CONNECTOR_OS_TYPE: "Both" }), [
      `ACI_CONNECTOR_NAME="${name29}" is too long for location westeurope: its node virtual-kubelet-${name29}-windows-westeurope (64 characters) would not fit the 63 characters of its kubernetes.io/hostname label; in westeurope a connector name has at most 28 characters`,
    ]);
    assert.equal(readSettings({ ...valid, ACI_CONNECTOR_NAME: "b".repeat(22), ACI_LOCATION: "australiasoutheast" }).location, "australiasoutheast");
    const name23 = "b".repeat(23);
    assert.match(problemsOf({ ...valid, ACI_CONNECTOR_NAME: name23, ACI_LOCATION: "australiasoutheast" })[0]!, /\(64 characters\).* at most 22 characters$/);
  });

  it("takes AKS Entra ID access instead of a kubeconfig, but not both", () => {
    const entra = { ...valid, KUBECONFIG: undefined, KUBE_API_SERVER: "https://aks.example:443", KUBE_CA_BASE64: "Q0E=" };
    assert.deepEqual(readSettings(entra).kubernetes, { kind: "entra", server: "https://aks.example:443", caBase64: "Q0E=" });
    assert.match(problemsOf({ ...entra, KUBECONFIG: "/tmp/k" })[0]!, /not both/);
    assert.deepEqual(problemsOf({ ...entra, KUBE_CA_BASE64: undefined }), [
      "KUBE_CA_BASE64 is missing: the API server's CA certificate, base64-encoded PEM",
    ]);
  });
});
