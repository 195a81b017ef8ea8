// The cluster side of the connector, rendered from the templates in infra/kubernetes/ so the files a
// reader sees there are exactly what install applies (and what the tests run the connector under).
import { readFileSync } from "node:fs";
import type { KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { nodeUser } from "../kube/node-identity.js";

const templateDir = new URL("../../../infra/kubernetes/", import.meta.url); // from dist/shared/install/

/**
 * The labels every object of infra/kubernetes/ carries for its connector: removal deletes an object by
 * name only when it has them, so a namesake that is not the connector's is never touched.
 */
export function connectorLabels(connectorName: string): Readonly<Record<string, string>> {
  return { "app.kubernetes.io/name": "aci-connector", "app.kubernetes.io/instance": connectorName };
}

export interface RbacParameters {
  readonly connectorName: string;
  /** The user name the connector authenticates as. */
  readonly connectorUser: string;
  readonly nodeNames: readonly string[];
}

export function renderConnectorRbac(parameters: RbacParameters): KubernetesObject[] {
  return renderTemplate("connector-rbac.yaml", {
    CONNECTOR_NAME: parameters.connectorName,
    CONNECTOR_USER: parameters.connectorUser,
    // A YAML flow sequence, so the template stays valid YAML for a reader.
    NODE_NAMES: JSON.stringify(parameters.nodeNames),
    NODE_USERS: JSON.stringify(parameters.nodeNames.map(nodeUser)),
  });
}

export interface WebhookParameters {
  readonly connectorName: string;
  readonly nodeNames: readonly string[];
  /** https://.../api/pod-webhook/<secret>: no query string (the API server refuses one). */
  readonly url: string;
  /** PEM of the CA that signs the webhook's certificate; omit for a publicly trusted one. */
  readonly caPem?: string;
}

export function renderPodWebhook(parameters: WebhookParameters): KubernetesObject[] {
  return renderTemplate("pod-webhook.yaml", {
    CONNECTOR_NAME: parameters.connectorName,
    NODE_NAMES: JSON.stringify(parameters.nodeNames),
    WEBHOOK_URL: parameters.url,
    CA_BUNDLE: parameters.caPem === undefined ? "" : Buffer.from(parameters.caPem).toString("base64"),
  });
}

export function renderTemplate(file: string, values: Readonly<Record<string, string>>): KubernetesObject[] {
  const text = readFileSync(new URL(file, templateDir), "utf8");
  const rendered = text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file} uses \${${name}}, which has no value`);
    return value;
  });
  return parseAllDocuments(rendered)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file} does not render to valid YAML: ${doc.errors[0]?.message}`);
      return doc.toJS() as KubernetesObject | null;
    })
    .filter((o): o is KubernetesObject => o !== null);
}
