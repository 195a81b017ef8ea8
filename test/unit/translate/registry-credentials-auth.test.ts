// A registry entry of a Docker config Secret with only half of username and password beside its "auth":
// "auth" is the whole credential (base64 of "username:password", as `docker login` writes it), so it is
// what counts, whichever half is missing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { b64, configMaps, container, linuxNode, podFrom, secrets, settings } from "./realistic-pods.js";

const credentialsFor = (entry: Record<string, unknown>) => {
  const secret = { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "myreg.io": entry } })) } };
  const pod = podFrom({ containers: [container()], imagePullSecrets: [{ name: "pull" }] });
  return podToContainerGroup({ pod, references: { secrets: new Map([...secrets, ["pull", secret]]), configMaps }, node: linuxNode, settings }).body.properties.imageRegistryCredentials;
};

describe("a registry entry with half a credential beside its auth", () => {
  it("a username without a password: both from auth", () => {
    assert.deepEqual(credentialsFor({ username: "u", auth: b64("puller:pull-secret") }), [{ server: "myreg.io", username: "puller", password: "pull-secret" }]);
  });
  it("a password without a username: both from auth", () => {
    assert.deepEqual(credentialsFor({ password: "p", auth: b64("puller:pull-secret") }), [{ server: "myreg.io", username: "puller", password: "pull-secret" }]);
  });
});
