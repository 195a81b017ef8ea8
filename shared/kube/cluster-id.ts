// A cluster's identity: the UID of its kube-system namespace, which exists from the cluster's first
// moment and is never deleted or re-created. Read with the installer's rights (the connector itself has
// no right to read namespaces) and handed to the functions as a setting.
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { requestOptions, type KubeRequestOptions } from "./request-options.js";

export async function readClusterId(kubeConfig: KubeConfig, options: KubeRequestOptions = {}): Promise<string> {
  const namespace = await kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: "kube-system" }, requestOptions(options));
  const uid = namespace.metadata?.uid;
  if (uid === undefined) throw new Error("the kube-system namespace has no UID: is this a Kubernetes API server?");
  return uid;
}
