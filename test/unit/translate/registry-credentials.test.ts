// imagePullSecrets -> ACI's imageRegistryCredentials, and every way such a Secret can fail to give one.
// The formats are Kubernetes' (kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets):
// a kubernetes.io/dockerconfigjson Secret holds ~/.docker/config.json in `.dockerconfigjson` (registries
// under "auths"), a kubernetes.io/dockercfg Secret the older ~/.dockercfg in `.dockercfg` (registries at
// the top level); a registry's entry gives username and password, or "auth": base64 of "username:password".
// The API server checks only that the text is JSON, so every other shape reaches the translation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Secret } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { skippedReferenceEvents } from "../../../shared/translate/missing-references.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import { b64, configMaps, container, linuxNode, podFrom, secrets, settings } from "./realistic-pods.js";

const dockerconfigjson = (config: unknown): V1Secret => ({ type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify(config)) } });
const dockercfg = (config: unknown): V1Secret => ({ type: "kubernetes.io/dockercfg", data: { ".dockercfg": b64(JSON.stringify(config)) } });

/** The pod pulling with the Secrets given (named as given, in order), translated or refused. */
function pullWith(pullSecrets: Record<string, V1Secret | undefined>) {
  const pod = podFrom({ containers: [container()], imagePullSecrets: Object.keys(pullSecrets).map((name) => ({ name })) });
  const all = new Map([...secrets, ...Object.entries(pullSecrets).filter((e): e is [string, V1Secret] => e[1] !== undefined)]);
  try {
    return { credentials: podToContainerGroup({ pod, references: { secrets: all, configMaps }, node: linuxNode, settings }).body.properties.imageRegistryCredentials };
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return { problems: error.problems };
  }
}

describe("imagePullSecrets that give credentials", () => {
  const cases: { description: string; secret: V1Secret; credentials: unknown }[] = [
    {
      description: "username and password, with the registry's URL cut to its host",
      secret: dockerconfigjson({ auths: { "https://myreg.io/v2/": { username: "u", password: "p" } } }),
      credentials: [{ server: "myreg.io", username: "u", password: "p" }],
    },
    {
      description: "auth only: base64 of username:password, split at the first colon (a password may hold colons)",
      secret: dockerconfigjson({ auths: { "myreg.io": { auth: b64("u:p:with:colons") } } }),
      credentials: [{ server: "myreg.io", username: "u", password: "p:with:colons" }],
    },
    {
      description: "username and password win over an auth that says otherwise",
      secret: dockerconfigjson({ auths: { "myreg.io": { username: "u", password: "p", auth: b64("other:secret") } } }),
      credentials: [{ server: "myreg.io", username: "u", password: "p" }],
    },
    {
      description: "an empty password is a password",
      secret: dockerconfigjson({ auths: { "myreg.io": { username: "u", password: "" } } }),
      credentials: [{ server: "myreg.io", username: "u", password: "" }],
    },
    {
      description: "a dockercfg Secret, several registries, in their order",
      secret: dockercfg({ "http://a.io": { username: "ua", password: "pa" }, "b.io": { auth: b64("ub:pb") } }),
      credentials: [
        { server: "a.io", username: "ua", password: "pa" },
        { server: "b.io", username: "ub", password: "pb" },
      ],
    },
  ];
  for (const c of cases) {
    it(c.description, () => assert.deepEqual(pullWith({ pull: c.secret }), { credentials: c.credentials }));
  }

  it("a Docker config without auths (a credential store only) gives no credentials, and no problem", () => {
    assert.deepEqual(pullWith({ pull: dockerconfigjson({ credsStore: "desktop" }) }), { credentials: undefined });
  });
});

describe("an image pull Secret that does not exist", () => {
  // A kubelet pulls without it and warns FailedToRetrieveImagePullSecret (kubelet_pods.go,
  // getPullSecretsForPod): a stale name on a service account must not hold a public image back.
  it("gives no credentials and no problem; the reference is kept for the Warning", () => {
    const pod = podFrom({ containers: [container()], imagePullSecrets: [{ name: "gone" }, { name: "regcred" }] });
    const translation = podToContainerGroup({ pod, references: { secrets, configMaps }, node: linuxNode, settings });
    assert.deepEqual(translation.skippedReferences, [{ path: "spec.imagePullSecrets[0]", kind: "Secret", name: "gone" }]);
    assert.equal(translation.body.properties.imageRegistryCredentials?.length, 1, "regcred's credentials are still used");
  });

  it("is told in the kubelet's Warning, all missing names in one, beside virtual-kubelet's for optional references", () => {
    assert.deepEqual(
      skippedReferenceEvents([
        { path: "spec.imagePullSecrets[0]", kind: "Secret", name: "gone" },
        { path: "spec.containers[0].env[0].valueFrom.secretKeyRef", kind: "Secret", name: "maybe", envName: "TOKEN" },
        { path: "spec.imagePullSecrets[2]", kind: "Secret", name: "old" },
      ]),
      [
        { reason: "OptionalSecretNotFound", note: 'skipping optional envvar "TOKEN": secret "maybe" not found' },
        { reason: "FailedToRetrieveImagePullSecret", note: "Unable to retrieve some image pull secrets (gone, old); attempting to pull the image may not succeed." },
      ],
    );
  });
});

describe("imagePullSecrets that cannot give credentials: a problem at the reference, naming the Secret, never its content", () => {
  const at = "spec.imagePullSecrets[0]";
  const cases: { description: string; secret: V1Secret; problems: Problem[] }[] = [
    {
      description: "a Secret of another type",
      secret: { type: "Opaque", data: { ".dockerconfigjson": b64("{}") } },
      problems: [{ path: at, message: 'Secret "pull" is of type "Opaque", not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg' }],
    },
    {
      description: "a Secret without a type (Opaque, as the API server defaults it)",
      secret: { data: { ".dockerconfigjson": b64("{}") } },
      problems: [{ path: at, message: 'Secret "pull" is of type "Opaque", not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg' }],
    },
    {
      description: "a dockerconfigjson Secret whose data is under the dockercfg key",
      secret: { type: "kubernetes.io/dockerconfigjson", data: { ".dockercfg": b64("{}") } },
      problems: [{ path: at, message: 'Secret "pull" has no key .dockerconfigjson' }],
    },
    {
      description: "a dockercfg Secret without data",
      secret: { type: "kubernetes.io/dockercfg" },
      problems: [{ path: at, message: 'Secret "pull" has no key .dockercfg' }],
    },
    {
      description: "a registry entry with an empty server name, and one that is a scheme only",
      secret: dockerconfigjson({ auths: { "": { username: "u", password: "p" }, "https://": { username: "u", password: "p" } } }),
      problems: [
        { path: at, message: 'Secret "pull" has an entry without a registry server name' },
        { path: at, message: 'Secret "pull" has an entry without a registry server name' },
      ],
    },
    {
      description: "an auth that is not base64, and one that is not text",
      secret: dockerconfigjson({ auths: { "a.io": { auth: "not base64!" }, "b.io": { auth: 42 } } }),
      problems: [
        { path: at, message: 'Secret "pull" has an "auth" for "a.io" that is not base64 "username:password"' },
        { path: at, message: 'Secret "pull" has an "auth" for "b.io" that is not base64 "username:password"' },
      ],
    },
    {
      description: "an auth without a colon, and one with an empty username",
      secret: dockerconfigjson({ auths: { "a.io": { auth: b64("userpassword") }, "b.io": { auth: b64(":password") } } }),
      problems: [
        { path: at, message: 'Secret "pull" has no username and password for "a.io"' },
        { path: at, message: 'Secret "pull" has no username and password for "b.io"' },
      ],
    },
    {
      description: "a username without a password, an empty username, and values that are not text",
      secret: dockerconfigjson({ auths: { "a.io": { username: "u" }, "b.io": { username: "", password: "p" }, "c.io": { username: 1, password: ["p"] } } }),
      problems: [
        { path: at, message: 'Secret "pull" has no username and password for "a.io"' },
        { path: at, message: 'Secret "pull" has no username and password for "b.io"' },
        { path: at, message: 'Secret "pull" has no username and password for "c.io"' },
      ],
    },
    {
      description: "a dockercfg that is a list",
      secret: dockercfg([{ username: "u", password: "p" }]),
      problems: [{ path: at, message: 'Secret "pull" does not hold Docker configuration in .dockercfg: it must map registries to credentials' }],
    },
  ];
  for (const c of cases) {
    it(c.description, () => assert.deepEqual(pullWith({ pull: c.secret }), { problems: c.problems }));
  }

  it("names each reference's own index, and translates nothing while one is wrong", () => {
    const good = dockerconfigjson({ auths: { "myreg.io": { username: "u", password: "p" } } });
    assert.deepEqual(pullWith({ good, bad: { type: "Opaque" } }), {
      problems: [{ path: "spec.imagePullSecrets[1]", message: 'Secret "bad" is of type "Opaque", not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg' }],
    });
  });
});
