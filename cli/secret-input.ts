// A secret read from standard input (`--client-secret -`), so it never stands on a command line where
// `ps` and shell history show it. A terminal is refused rather than echoing the secret as it is typed.

/** Generous for a client secret (Entra ID's are 40 characters); more is something else piped in. */
const maxSecretBytes = 4096;

/** The secret: standard input's text without its line end. Errors say what is wrong, never what was read. */
export async function readSecretFromStdin(input: NodeJS.ReadableStream & { readonly isTTY?: boolean }, option: string, envName: string): Promise<string> {
  if (input.isTTY === true) {
    throw new Error(`${option} - reads the secret from standard input, which is a terminal here: pipe it in (... | aci-connector ... ${option} -) or set ${envName}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > maxSecretBytes) throw new Error(`${option} -: standard input holds more than ${maxSecretBytes} bytes, which is no client secret`);
    chunks.push(bytes);
  }
  const secret = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  if (secret.trim() === "") throw new Error(`${option} -: standard input gave no secret`);
  if (/[\r\n]/.test(secret)) throw new Error(`${option} -: standard input holds more than one line; give the secret alone`);
  return secret;
}
