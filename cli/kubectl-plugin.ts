// `kubectl aci ...`: the kubectl plugin (bin/kubectl-aci.js on PATH). kubectl runs it with the words after
// `kubectl aci`; it offers exec only, the one kubectl verb a virtual node cannot serve itself.
import { execCommand } from "./exec.js";

const usage = `Usage: kubectl aci exec POD [-n NAMESPACE] [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]

Commands of the aci-connector kubectl plugin:
  exec    run a command in a pod on an Azure Container Instances virtual node (kubectl aci exec --help)
`;

export async function kubectlPluginMain(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === "exec") return execCommand("kubectl aci exec")(rest);
  if (verb === undefined || verb === "help" || verb === "--help" || verb === "-h") {
    process.stdout.write(usage);
    return verb === undefined ? 2 : 0;
  }
  process.stderr.write(`kubectl aci: unknown command "${verb}"\n\n${usage}`);
  return 2;
}
