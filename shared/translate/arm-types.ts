// The ARM wire shape of a container group (api-version 2023-05-01), as the REST spec names it: what the
// translation sends in a PUT and what status mapping reads from a GET.
export interface ArmContainerGroup {
  location: string;
  tags: Record<string, string>;
  /** The managed identities the group carries: its containers get their tokens, and it pulls with them. */
  identity?: ArmGroupIdentity;
  properties: {
    osType: "Linux" | "Windows";
    restartPolicy: "Always" | "OnFailure" | "Never";
    sku?: "Standard" | "Confidential";
    priority?: "Regular" | "Spot";
    /** For the Confidential SKU: the base64 confidential computing enforcement policy. */
    confidentialComputeProperties?: { ccePolicy: string };
    containers: ArmContainer[];
    initContainers?: ArmInitContainer[];
    ipAddress?: { type: "Public" | "Private"; ports: ArmPort[]; dnsNameLabel?: string; ip?: string; fqdn?: string };
    subnetIds?: { id: string }[];
    imageRegistryCredentials?: ArmRegistryCredential[];
    volumes?: ArmVolume[];
    provisioningState?: string;
    instanceView?: { state?: string; events?: ArmEvent[] };
  };
}

/** A registry's credential: a username and password, or (never both: ACI refuses that) an identity the group carries. */
export interface ArmRegistryCredential {
  server: string;
  username?: string;
  password?: string;
  /** A user-assigned identity's resource id, also listed in the group's `identity.userAssignedIdentities`. */
  identity?: string;
}

/** The REST spec's ContainerGroupIdentity, as sent: user-assigned identities only (a request gives `{}` for each). */
export interface ArmGroupIdentity {
  type: "UserAssigned";
  userAssignedIdentities: Record<string, Record<string, never>>;
}

export interface ArmContainer {
  name: string;
  properties: {
    image: string;
    command?: string[];
    ports?: ArmPort[];
    environmentVariables?: ArmEnvironmentVariable[];
    resources: { requests: ArmResources; limits?: Partial<ArmResources> };
    volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
    livenessProbe?: ArmProbe;
    readinessProbe?: ArmProbe;
    instanceView?: ArmContainerInstanceView;
  };
}

export interface ArmInitContainer {
  name: string;
  properties: {
    image: string;
    command?: string[];
    environmentVariables?: ArmEnvironmentVariable[];
    volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
    instanceView?: ArmContainerInstanceView;
  };
}

export interface ArmResources {
  cpu: number;
  memoryInGB: number;
  gpu?: { count: number; sku: "K80" | "P100" | "V100" };
}

export interface ArmPort {
  port: number;
  protocol: "TCP" | "UDP";
}

export interface ArmEnvironmentVariable {
  name: string;
  value?: string;
  secureValue?: string;
}

export interface ArmProbe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number; scheme?: "http" | "https"; httpHeaders?: { name: string; value: string }[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  timeoutSeconds?: number;
}

export interface ArmVolume {
  name: string;
  emptyDir?: Record<string, never>;
  secret?: Record<string, string>;
  azureFile?: { shareName: string; storageAccountName: string; storageAccountKey?: string; readOnly?: boolean };
  gitRepo?: { repository: string; directory?: string; revision?: string };
}

export interface ArmEvent {
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  name?: string;
  message?: string;
  type?: string;
}

export interface ArmContainerState {
  state?: string;
  startTime?: string;
  finishTime?: string;
  exitCode?: number;
  detailStatus?: string;
}

export interface ArmContainerInstanceView {
  restartCount?: number;
  currentState?: ArmContainerState;
  previousState?: ArmContainerState;
  events?: ArmEvent[];
}

/**
 * One row of a region's capabilities (Location_ListCapabilities, the REST spec's `Capabilities`): the most
 * a container group of this OS (or NotSpecified: either), IP address type (Private: in a virtual network)
 * and GPU SKU (None: without) may have in the region. Every field as ARM may omit it.
 */
export interface ArmCapabilities {
  readonly resourceType?: string;
  readonly osType?: string;
  readonly location?: string;
  readonly ipAddressType?: string;
  readonly gpu?: string;
  readonly capabilities?: { readonly maxMemoryInGB?: number; readonly maxCpu?: number; readonly maxGpuCount?: number };
}
