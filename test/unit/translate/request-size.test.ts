// ARM's 4 MB limit on a request body (shared/translate/request-size.ts gives the sources: ARM answers
// 413 RequestContentTooLarge, read as 4 MiB), at its edge, and the refusal's list of what makes the body
// big: the largest part first at the field to change, every part of at least a tenth of the body, at
// most three. The body's size is the group as JSON, as the SDK sends it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { armMaxRequestBytes } from "../../../shared/translate/request-size.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate } from "./translate-pod.js";

const MiB = 1024 * 1024;
const filler = (characters: number) => "x".repeat(Math.round(characters));
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");
/** A container carrying `characters` of data in one environment variable, as a config blob often is. */
const withEnv = (name: string, characters: number): V1Container => container({ name, env: [{ name: "CONFIG_JSON", value: filler(characters) }] });
/** A container carrying its data in its command line, as a script passed to `sh -c` is. */
const withCommand = (name: string, characters: number): V1Container => container({ name, command: ["sh", "-c", filler(characters)] });
const pod = (...containers: V1Container[]): V1Pod => podFrom({ containers });
const advice = "Keep large data out of environment variables and Secret or ConfigMap volumes: put it in the image, or in an Azure Files share mounted as a volume.";
const refusal = (total: string, parts: string) =>
  `the container group would be a ${total} request to Azure Resource Manager, which refuses request bodies over 4 MB (4,194,304 bytes). The largest parts: ${parts}. ${advice}`;

describe("ARM's limit on the body of a container group's PUT", () => {
  it("accepts a body of exactly 4 MiB, and refuses one byte more at the field that makes it big", () => {
    // The body grows by one byte per character of the variable: measured small, then filled to the limit.
    const small = bytes(translate(pod(withEnv("app", 1))).body);
    const atLimit = pod(withEnv("app", 1 + armMaxRequestBytes - small));
    assert.equal(bytes(translate(atLimit).body), armMaxRequestBytes);
    const overLimit = pod(withEnv("app", 2 + armMaxRequestBytes - small));
    assert.deepEqual(
      problemsOf(overLimit).map((p) => p.path),
      ["spec.containers[0].env"],
    );
  });

  const cases: { description: string; pod: V1Pod; path: string; message: string }[] = [
    {
      description: "names the two parts that make the body big, the largest first",
      pod: pod(withEnv("app", 3 * MiB), withCommand("sidecar", 1.5 * MiB)),
      path: "spec.containers[0].env",
      message: refusal("4.5 MB", 'the environment variables (env and envFrom) of container "app", 3.0 MB; the command and args of container "sidecar", 1.5 MB'),
    },
    {
      description: "a command line the largest part: the refusal is at that container's command",
      pod: pod(withEnv("app", 1.5 * MiB), withCommand("sidecar", 3 * MiB)),
      path: "spec.containers[1].command",
      message: refusal("4.5 MB", 'the command and args of container "sidecar", 3.0 MB; the environment variables (env and envFrom) of container "app", 1.5 MB'),
    },
    {
      description: "names three parts at most",
      pod: pod(withEnv("a", 1.4 * MiB), withEnv("b", 1.3 * MiB), withEnv("c", 1.2 * MiB), withEnv("d", 1.1 * MiB)),
      path: "spec.containers[0].env",
      message: refusal(
        "5.0 MB",
        'the environment variables (env and envFrom) of container "a", 1.4 MB; the environment variables (env and envFrom) of container "b", 1.3 MB; the environment variables (env and envFrom) of container "c", 1.2 MB',
      ),
    },
    {
      description: "names the largest part even when no part is a tenth of the body",
      pod: pod(withEnv("c0", 0.42 * MiB), ...Array.from({ length: 10 }, (_, i) => withEnv(`c${i + 1}`, 0.4 * MiB))),
      path: "spec.containers[0].env",
      message: refusal("4.4 MB", 'the environment variables (env and envFrom) of container "c0", 0.4 MB'),
    },
  ];
  for (const c of cases) {
    it(c.description, () => assert.deepEqual(problemsOf(c.pod), [{ path: c.path, message: c.message }]));
  }

  it("names a part of exactly a tenth of the body, and not one a byte smaller", () => {
    // Measured small: the body and the second container's variables grow by one byte per character.
    const small = translate(pod(withEnv("app", 1), withEnv("sidecar", 1))).body;
    const total1 = bytes(small);
    const part1 = bytes(small.properties.containers[1]!.properties.environmentVariables);
    const sidecar = 460_000;
    const part = part1 + sidecar - 1;
    const app = 1 + 10 * part - total1 - (sidecar - 1);
    const named = (sidecarCharacters: number) => problemsOf(pod(withEnv("app", app), withEnv("sidecar", sidecarCharacters)))[0]!.message.includes('container "sidecar"');
    assert.equal(named(sidecar), true, "a part of exactly a tenth");
    assert.equal(named(sidecar - 1), false, "a byte less than a tenth");
  });
});
