// `--client-secret -`: the secret comes from standard input, whole or not at all, and no error ever shows
// it. test/unit/cli/install-command.test.ts runs install with a secret piped in.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { readSecretFromStdin } from "../../../cli/secret-input.js";

const secret = "piped-secret-Zq8~x3.Kp";
const read = (input: Readable) => readSecretFromStdin(input, "--client-secret", "ACI_CONNECTOR_CLIENT_SECRET");

describe("a secret from standard input", () => {
  it("is the input without its line end, however it is chunked", async () => {
    assert.equal(await read(Readable.from([Buffer.from(`${secret}\n`)])), secret);
    assert.equal(await read(Readable.from([Buffer.from(secret.slice(0, 5)), Buffer.from(`${secret.slice(5)}\r\n`)])), secret);
    assert.equal(await read(Readable.from([Buffer.from(secret)])), secret);
  });

  it("is refused, without showing what was read, when empty, of several lines, too long, or typed at a terminal", async () => {
    const cases: [Readable, RegExp][] = [
      [Readable.from([Buffer.from("\n")]), /^--client-secret -: standard input gave no secret$/],
      [Readable.from([Buffer.from(`${secret}\nsecond-line-${secret}\n`)]), /^--client-secret -: standard input holds more than one line; give the secret alone$/],
      [Readable.from([Buffer.from(secret.repeat(500))]), /^--client-secret -: standard input holds more than 4096 bytes, which is no client secret$/],
      [Object.assign(Readable.from([Buffer.from(secret)]), { isTTY: true }), /^--client-secret - reads the secret from standard input, which is a terminal here: pipe it in .* or set ACI_CONNECTOR_CLIENT_SECRET$/],
    ];
    for (const [input, message] of cases) {
      const error = await read(input).then(() => assert.fail("accepted"), (e: unknown) => e as Error);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(secret.slice(0, 8)));
    }
  });
});
