// `aci-connector package`: writes the function package, the very files install zip-deploys, into
// dist/azd-package, the folder azd deploys (azure.yaml's `dist`; its service's prepackage hook runs this).
// Without it azd would zip the whole project: development dependencies, tests, the emulator.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { azdPackageFolder, writeFunctionPackageFolder } from "../shared/install/function-package.js";
import type { Command } from "./main.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url)); // from dist/cli/

export const packageCommand: Command = async (args) => {
  if (args.length > 0) {
    process.stderr.write(`Usage: aci-connector package\n\nWrites the function package install deploys into ${azdPackageFolder}, for azd (run npm run build first).\n`);
    return args[0] === "--help" || args[0] === "-h" ? 0 : 2;
  }
  const files = await writeFunctionPackageFolder(projectRoot, join(projectRoot, azdPackageFolder));
  process.stdout.write(`wrote the function package (${files} files) to ${azdPackageFolder}\n`);
  return 0;
};
