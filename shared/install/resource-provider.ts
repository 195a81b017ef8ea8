// The seed's first step: Microsoft.ContainerInstance must be Registered in the subscription. ARM
// registers a provider by itself for the resource types a template deploys, but the container groups are
// created later by the functions, so nothing would register this one: install does, as the seed asks.
import { armErrorOf, parseArmBody, sendArmRequest, subscriptionUrl, type ArmPipeline } from "../aci/arm-http.js";

export const resourcesApiVersion = "2021-04-01";
export const containerInstanceNamespace = "Microsoft.ContainerInstance";

export interface ArmTarget {
  readonly armEndpoint?: string;
  readonly subscriptionId: string;
}

export interface RegistrationOptions {
  readonly progress?: (line: string) => void;
  readonly pollIntervalMs?: number;
  /** Registration usually takes a minute or two; give up after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

/** Registers the provider when it is not Registered and waits until it is; says which it was. */
export async function ensureResourceProviderRegistered(
  pipeline: ArmPipeline,
  target: ArmTarget,
  namespace: string,
  options: RegistrationOptions = {},
): Promise<"already-registered" | "registered"> {
  const base = `${subscriptionUrl(target)}/providers/${encodeURIComponent(namespace)}`;
  const requestOptions = options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal };
  const state = async () => {
    const response = await sendArmRequest(pipeline, "GET", `${base}?api-version=${resourcesApiVersion}`, requestOptions);
    if (response.status !== 200) throw armErrorOf(response, `reading the registration of ${namespace}`);
    return parseArmBody<{ registrationState?: string }>(response).registrationState ?? "Unknown";
  };

  let current = await state();
  if (current === "Registered") return "already-registered";
  if (current !== "Registering") {
    options.progress?.(`${namespace} is ${current} in subscription ${target.subscriptionId}: registering it`);
    const response = await sendArmRequest(pipeline, "POST", `${base}/register?api-version=${resourcesApiVersion}`, requestOptions);
    if (response.status !== 200) throw armErrorOf(response, `registering ${namespace} (it needs the */register/action permission on the subscription)`);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const interval = options.pollIntervalMs ?? 5_000;
  let lastSaid = Date.now();
  while ((current = await state()) !== "Registered") {
    if (Date.now() > deadline) throw new Error(`${namespace} is still ${current} after ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s; check it with: az provider show -n ${namespace}`);
    if (Date.now() - lastSaid >= 30_000) {
      options.progress?.(`still waiting for ${namespace} to be Registered (now ${current})`);
      lastSaid = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return "registered";
}
