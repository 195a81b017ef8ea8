// A container group's managed identities and the registries that need them, as ACI treats them:
// - `identity` {type, userAssignedIdentities} as the REST spec's ContainerGroupIdentity (2023-05-01): the
//   answer adds the group's tenantId and, per user-assigned identity, its principalId and clientId.
// - A registry credential's `identity` must be one the group carries: otherwise ACI refuses the group,
//   "The identity in the 'imageRegistryCredentials' of container group 'XYZ' not found in container group
//   identity list", code InvalidImageRegistryIdentity (the service's answer quoted in
//   MicrosoftDocs/azure-docs#117644; its HTTP status is not quoted: 400 here, as ACI's other validation).
// - A private registry (option `privateRegistries`) lets a group pull only with a credential it accepts: an
//   identity it granted AcrPull, or one of its logins. Otherwise the pull fails as every failed pull does
//   here (InaccessibleImage, container-group-state.ts).
import { createHash } from "node:crypto";
import { ArmError } from "./responses.js";

/** Who may pull from a private registry: identities holding AcrPull on it, and username/password logins. */
export interface PrivateRegistry {
  /** Resource ids of user-assigned identities with AcrPull on the registry. */
  readonly acrPull?: readonly string[];
  readonly logins?: readonly { readonly username: string; readonly password: string }[];
}

export interface StoredIdentity {
  readonly type: string;
  /** The user-assigned identities' resource ids, as the request spelled them. */
  readonly userAssigned: readonly string[];
}

/** The tenant every emulated identity belongs to. */
export const emulatedTenantId = "72f988bf-0000-4000-8000-00000000e1a7";

/** A stable GUID of a resource id (ARM ids are case-insensitive), standing in for what Entra assigns. */
function guidOf(kind: string, resourceId: string): string {
  const h = createHash("sha256").update(`${kind}:${resourceId.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The client id the emulator gives a user-assigned identity: what a test puts in the connector's allow-list. */
export const emulatedClientId = (resourceId: string): string => guidOf("client", resourceId);

const identityTypes = ["SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"];

/** The group's identity as requested, checked with its registry credentials; undefined when none is given. */
export function validateIdentity(groupName: string, identity: unknown, credentials: unknown): StoredIdentity | undefined {
  const given = identity as { type?: unknown; userAssignedIdentities?: unknown } | undefined;
  let stored: StoredIdentity | undefined;
  if (given !== undefined && given !== null) {
    if (typeof given.type !== "string" || !identityTypes.includes(given.type)) {
      throw new ArmError(400, "InvalidRequestContent", `The request content was invalid and could not be deserialized: 'Error converting value ${JSON.stringify(given.type)} to type 'ResourceIdentityType'. Path 'identity.type'.'`);
    }
    const ids = typeof given.userAssignedIdentities === "object" && given.userAssignedIdentities !== null ? Object.keys(given.userAssignedIdentities) : [];
    stored = { type: given.type, userAssigned: given.type.includes("UserAssigned") ? ids : [] };
  }
  const carried = new Set((stored?.userAssigned ?? []).map((id) => id.toLowerCase()));
  for (const c of (Array.isArray(credentials) ? credentials : []) as { identity?: unknown }[]) {
    if (typeof c.identity === "string" && !carried.has(c.identity.toLowerCase())) {
      throw new ArmError(400, "InvalidImageRegistryIdentity", `The identity in the 'imageRegistryCredentials' of container group '${groupName}' not found in container group identity list`);
    }
  }
  return stored;
}

/** The identity as ARM answers it (ContainerGroupIdentity with its read-only fields). */
export function identityView(groupId: string, identity: StoredIdentity) {
  return {
    ...(identity.type.includes("SystemAssigned") && { principalId: guidOf("principal", groupId) }),
    tenantId: emulatedTenantId,
    type: identity.type,
    ...(identity.userAssigned.length > 0 && {
      userAssignedIdentities: Object.fromEntries(identity.userAssigned.map((id) => [id, { principalId: guidOf("principal", id), clientId: emulatedClientId(id) }])),
    }),
  };
}

/**
 * Whether a private registry refuses the group's pull of `image`: it is one of `registries` and no
 * credential of the group for that server is one it accepts. Public registries never refuse.
 */
export function privateRegistryRefuses(image: string, credentials: unknown, registries: Readonly<Record<string, PrivateRegistry>>): boolean {
  const slash = image.indexOf("/");
  const server = slash < 0 ? "" : image.slice(0, slash).toLowerCase();
  const registry = Object.entries(registries).find(([name]) => name.toLowerCase() === server)?.[1];
  if (registry === undefined) return false;
  const forServer = ((Array.isArray(credentials) ? credentials : []) as { server?: unknown; username?: unknown; password?: unknown; identity?: unknown }[]).filter(
    (c) => typeof c.server === "string" && c.server.toLowerCase() === server,
  );
  return !forServer.some(
    (c) =>
      (typeof c.identity === "string" && (registry.acrPull ?? []).some((id) => id.toLowerCase() === (c.identity as string).toLowerCase())) ||
      (registry.logins ?? []).some((l) => l.username === c.username && l.password === c.password),
  );
}
