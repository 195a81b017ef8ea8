// The provider port: container groups in the connector's ACI resource group, by name.
//
// Requests go through the real @azure/arm-containerinstance client's pipeline (its credential, retry
// and throttling policies, TLS settings) but carry the ARM wire JSON the translation produces, for two
// reasons: the body ACI receives is exactly the one the translation tests pin down (no second mapping
// through the SDK's flattened models), and a PUT costs one write, where the SDK's begin* poller always
// adds a read of the operation status. Reconcile follows provisioning with GETs it budgets itself.
import { armErrorOf, parseArmBody, sendArmRequest, subscriptionUrl, type ArmPipeline, type ArmRequestOptions } from "./arm-http.js";

export const aciApiVersion = "2023-05-01";

/** A container group as ARM sends and receives it (the wire shape, `properties` not flattened). */
export interface WireContainerGroup {
  readonly name?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly properties?: Readonly<Record<string, unknown>> & { readonly provisioningState?: string };
}

/** What a list returns per group: ARM's list items carry no instanceView, so no status either. */
export interface ContainerGroupSummary {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly provisioningState?: string;
}

/** A whole list and the pages ARM served it in (100 groups a page): what it cost in reads. */
export interface ContainerGroupList {
  readonly groups: ContainerGroupSummary[];
  readonly pages: number;
}

export type ContainerGroupsOptions = ArmRequestOptions;

export interface ContainerGroups {
  /** Sends the PUT and returns once ARM accepted it; provisioning goes on. Safe to repeat: the name is the key. */
  createOrUpdate(name: string, body: WireContainerGroup, options?: ContainerGroupsOptions): Promise<void>;
  /** The group with its instanceView, or undefined when it does not exist. */
  get(name: string, options?: ContainerGroupsOptions): Promise<WireContainerGroup | undefined>;
  /** Starts the deletion; "absent" when there was nothing to delete. Safe to repeat. */
  delete(name: string, options?: ContainerGroupsOptions): Promise<"deleted" | "deleting" | "absent">;
  /** Every group in the resource group, all pages. */
  list(options?: ContainerGroupsOptions): Promise<ContainerGroupList>;
  /**
   * A container's log as ACI keeps it (ListLogs: the last `tail` lines, each stamped with its time when
   * `timestamps`); undefined when the group or the container does not exist. One ARM read.
   */
  logs(name: string, container: string, options?: ContainerGroupsOptions & { tail?: number; timestamps?: boolean }): Promise<string | undefined>;
}

export function createContainerGroups(
  client: ArmPipeline,
  target: { armEndpoint?: string; subscriptionId: string; resourceGroup: string },
): ContainerGroups {
  const base = `${subscriptionUrl(target)}/resourceGroups/${encodeURIComponent(target.resourceGroup)}/providers/Microsoft.ContainerInstance/containerGroups`;
  const groupUrl = (name: string) => `${base}/${encodeURIComponent(name)}?api-version=${aciApiVersion}`;

  const send = (method: "GET" | "PUT" | "DELETE", url: string, options: ContainerGroupsOptions, body?: unknown) => sendArmRequest(client, method, url, options, body);

  return {
    async createOrUpdate(name, body, options = {}) {
      const response = await send("PUT", groupUrl(name), options, body);
      if (response.status !== 200 && response.status !== 201) throw armErrorOf(response, `creating container group ${name}`);
    },
    async get(name, options = {}) {
      const response = await send("GET", groupUrl(name), options);
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw armErrorOf(response, `reading container group ${name}`);
      return parseArmBody<WireContainerGroup>(response);
    },
    async delete(name, options = {}) {
      const response = await send("DELETE", groupUrl(name), options);
      if (response.status === 204 || response.status === 404) return "absent";
      if (response.status === 200) return "deleted";
      if (response.status === 202) return "deleting";
      throw armErrorOf(response, `deleting container group ${name}`);
    },
    async logs(name, container, options = {}) {
      const query = new URLSearchParams({ "api-version": aciApiVersion });
      if (options.tail !== undefined) query.set("tail", String(options.tail));
      if (options.timestamps !== undefined) query.set("timestamps", String(options.timestamps));
      const url = `${base}/${encodeURIComponent(name)}/containers/${encodeURIComponent(container)}/logs?${query.toString()}`;
      const response = await send("GET", url, options);
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw armErrorOf(response, `reading the log of container ${container} in container group ${name}`);
      return parseArmBody<{ content?: string }>(response).content ?? "";
    },
    async list(options = {}) {
      const groups: ContainerGroupSummary[] = [];
      let pages = 0;
      let url: string | undefined = `${base}?api-version=${aciApiVersion}`;
      while (url !== undefined) {
        const response = await send("GET", url, options);
        pages++;
        if (response.status !== 200) throw armErrorOf(response, "listing container groups");
        const page = parseArmBody<{ value?: WireContainerGroup[]; nextLink?: string }>(response);
        for (const group of page.value ?? []) {
          if (group.name === undefined) continue;
          const state = group.properties?.provisioningState;
          groups.push({ name: group.name, tags: group.tags ?? {}, ...(state !== undefined && { provisioningState: state }) });
        }
        url = page.nextLink || undefined;
      }
      return { groups, pages };
    },
  };
}
