// Runs the Azure CLI, which the Azure install needs for what only it does here: compiling and deploying
// Bicep, and zip-deploying the function package. Arguments never carry a secret (see azure-install.ts).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export type AzRunner = (args: readonly string[]) => Promise<string>;

export const runAz: AzRunner = async (args) => {
  try {
    const { stdout } = await promisify(execFile)(process.platform === "win32" ? "az.cmd" : "az", [...args, "--only-show-errors"], { maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("the Azure CLI (az) is not installed: it deploys the Bicep templates (https://aka.ms/azure-cli), then run az login");
    throw new Error(`az ${args.slice(0, 3).join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
  }
};
