// Event Grid payloads exactly as Microsoft documents them, for the functions' triggers.
//
// The resource-group system topic's events, in both delivery schemas: "Azure resource group as an Event
// Grid source", tabs "Event Grid event schema" and "Cloud event schema",
// https://learn.microsoft.com/azure/event-grid/event-schema-resource-groups (examples "ResourceWriteSuccess"
// and "ResourceDeleteSuccess"; the page shows each as an array of one). The Functions trigger takes one
// element per invocation: "Event Grid always sends an array ... The runtime invokes your function once
// for each array element", https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-grid-trigger
// (section "Event schema"). The placeholders ({subscription-id}, ...) are the documentation's own.

const writeClaims = {
  aud: "{audience-claim}",
  iss: "{issuer-claim}",
  iat: "{issued-at-claim}",
  nbf: "{not-before-claim}",
  exp: "{expiration-claim}",
  _claim_names: '{"groups":"src1"}',
  _claim_sources: '{"src1":{"endpoint":"{URI}"}}',
  "http://schemas.microsoft.com/claims/authnclassreference": "1",
  aio: "{token}",
  "http://schemas.microsoft.com/claims/authnmethodsreferences": "rsa,mfa",
  appid: "{ID}",
  appidacr: "2",
  "http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier": "{ID}",
  e_exp: "{expiration}",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": "{last-name}",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "{first-name}",
  ipaddr: "{IP-address}",
  name: "{full-name}",
  "http://schemas.microsoft.com/identity/claims/objectidentifier": "{ID}",
  onprem_sid: "{ID}",
  puid: "{ID}",
  "http://schemas.microsoft.com/identity/claims/scope": "user_impersonation",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier": "{ID}",
  "http://schemas.microsoft.com/identity/claims/tenantid": "{ID}",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": "{user-name}",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "{user-name}",
  uti: "{ID}",
  ver: "1.0",
};

const writeData = {
  authorization: {
    scope: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
    action: "Microsoft.Storage/storageAccounts/write",
    evidence: { role: "Subscription Admin" },
  },
  claims: writeClaims,
  correlationId: "{ID}",
  resourceProvider: "Microsoft.Storage",
  resourceUri: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
  operationName: "Microsoft.Storage/storageAccounts/write",
  status: "Succeeded",
  subscriptionId: "{subscription-id}",
  tenantId: "{tenant-id}",
};

const deleteData = {
  authorization: {
    scope: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
    action: "Microsoft.Storage/storageAccounts/delete",
    evidence: { role: "Subscription Admin" },
  },
  claims: { ...writeClaims, e_exp: "262800" },
  correlationId: "{ID}",
  httpRequest: {
    clientRequestId: "{ID}",
    clientIpAddress: "{IP-address}",
    method: "DELETE",
    url: "https://management.azure.com/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}?api-version=2018-02-01",
  },
  resourceProvider: "Microsoft.Storage",
  resourceUri: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
  operationName: "Microsoft.Storage/storageAccounts/delete",
  status: "Succeeded",
  subscriptionId: "{subscription-id}",
  tenantId: "{tenant-id}",
};

/** The documented events, by schema and type; each is the one element of the documented array. */
export const documentedResourceEvents = {
  eventGridSchema: {
    writeSuccess: {
      subject: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      eventType: "Microsoft.Resources.ResourceWriteSuccess",
      eventTime: "2018-07-19T18:38:04.6117357Z",
      id: "4db48cba-50a2-455a-93b4-de41a3b5b7f6",
      data: writeData,
      dataVersion: "2",
      metadataVersion: "1",
      topic: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}",
    },
    deleteSuccess: {
      subject: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      eventType: "Microsoft.Resources.ResourceDeleteSuccess",
      eventTime: "2018-07-19T19:24:12.763881Z",
      id: "19a69642-1aad-4a96-a5ab-8d05494513ce",
      data: deleteData,
      dataVersion: "2",
      metadataVersion: "1",
      topic: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}",
    },
  },
  cloudEventSchema: {
    writeSuccess: {
      subject: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      source: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}",
      type: "Microsoft.Resources.ResourceWriteSuccess",
      time: "2018-07-19T18:38:04.6117357Z",
      id: "4db48cba-50a2-455a-93b4-de41a3b5b7f6",
      data: writeData,
      specversion: "1.0",
    },
    deleteSuccess: {
      subject: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      source: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}",
      type: "Microsoft.Resources.ResourceDeleteSuccess",
      time: "2018-07-19T19:24:12.763881Z",
      id: "19a69642-1aad-4a96-a5ab-8d05494513ce",
      data: deleteData,
      specversion: "1.0",
    },
  },
} as const;

export type Schema = keyof typeof documentedResourceEvents;
export const schemas = Object.keys(documentedResourceEvents) as Schema[];

/**
 * A documented event about another resource: every field as documented, with the resource (subject,
 * data.resourceUri, authorization scope) replaced, e.g. by a container group, and the operation with it.
 */
export function aboutResource<E extends { subject: string; data: { resourceUri: string; authorization: object; operationName: string } }>(
  event: E,
  resourceUri: string,
  operationName: string,
): E {
  return { ...event, subject: resourceUri, data: { ...event.data, resourceUri, operationName, authorization: { ...event.data.authorization, scope: resourceUri, action: operationName } } };
}

/**
 * The doorbell as podEvents receives it. CloudEvents: what EventGridPublisherClient sends for
 * shared/relay/event-grid.ts (its convertCloudEventToModelType adds specversion, id, time and
 * datacontenttype application/json; @azure/eventgrid 5.12, src/eventGridClient.ts), which a
 * CloudEventSchemaV1_0 subscription delivers unchanged
 * (https://learn.microsoft.com/azure/event-grid/cloud-event-schema). Event Grid schema: the same event as
 * a subscription in that schema would deliver it (https://learn.microsoft.com/azure/event-grid/event-schema).
 */
export function doorbellEvents(data: object, type = "aci-connector.pod.changed"): Record<Schema, object> {
  const subject = "namespaces/default/pods/aci-helloworld";
  return {
    cloudEventSchema: { specversion: "1.0", type, source: "aci-connector/aci-connector", id: "1b2c3d4e-0000-4000-8000-000000000001", time: "2025-11-20T10:00:00.000Z", subject, datacontenttype: "application/json", data },
    eventGridSchema: { id: "1b2c3d4e-0000-4000-8000-000000000001", eventType: type, subject, eventTime: "2025-11-20T10:00:00.000Z", data, dataVersion: "1", metadataVersion: "1", topic: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.EventGrid/topics/{topic}" },
  };
}
