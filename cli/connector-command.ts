// What install and remove share as commands: the seed's arguments parsed (help, usage errors), a note on
// Azure arguments a local run ignores, prefixed progress lines, and one line on failure.
import { azureOnlyArguments, clientSecretEnv, connectorHelp, parseConnectorOptions, type ConnectorCommand, type ConnectorOptions } from "./connector-options.js";
import { readSecretFromStdin } from "./secret-input.js";

/** Runs one command; `run` returns what to print when it succeeds. */
export async function runConnectorCommand(
  command: ConnectorCommand,
  args: readonly string[],
  run: (options: ConnectorOptions, say: (line: string) => void) => Promise<string>,
): Promise<number> {
  const parsed = parseConnectorOptions(command, args);
  if (!parsed.ok) {
    if (parsed.help) return (process.stdout.write(connectorHelp(command)), 0);
    process.stderr.write(`${parsed.error}\n\n${connectorHelp(command)}`);
    return 2;
  }
  const say = (line: string) => process.stdout.write(`[${command}] ${line}\n`);
  const ignored = parsed.options.local ? azureOnlyArguments(parsed.options) : [];
  if (ignored.length > 0) say(`the local run has no Azure cluster: ${ignored.join(", ")} ignored`);
  let options = parsed.options;
  if (options.clientSecretFromStdin === true && !options.local) {
    try {
      options = { ...options, clientSecret: await readSecretFromStdin(process.stdin, "--client-secret", clientSecretEnv) };
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
  }
  try {
    process.stdout.write(`${await run(options, say)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`aci-connector ${command} failed: ${(error as Error).message}\n`);
    return 1;
  }
}
