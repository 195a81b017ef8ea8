// The package the Function App runs (`--image-tag` maps to its version): the compiled functions and
// what they import, host.json, package.json, and the production dependencies exactly as npm installed
// them here, so Azure runs what the tests ran (no remote build that could resolve other versions).
// install zip-deploys it; azd deploys the same files, written as a folder (azdPackageFolder).
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import yazl from "yazl";

/** What the Functions host loads (package.json "main": dist/functions/*.js) and what that imports. */
const packagedFolders = ["dist/functions", "dist/shared"];
const packagedFiles = ["host.json", "package.json"];

/** Every file the package holds, as paths relative to the project root (sorted). */
export async function functionPackageFiles(projectRoot: string): Promise<string[]> {
  const files = [...packagedFiles];
  for (const folder of [...packagedFolders, ...(await productionDependencyFolders(projectRoot))]) {
    const entries = await readdir(join(projectRoot, folder), { withFileTypes: true, recursive: true });
    for (const e of entries) if (e.isFile()) files.push(relative(projectRoot, join(e.parentPath, e.name)).split(sep).join("/"));
  }
  return [...new Set(files)].sort();
}

/** Writes the package to `zipPath`; returns how many files it holds. */
export async function writeFunctionPackage(projectRoot: string, zipPath: string): Promise<number> {
  const files = await functionPackageFiles(projectRoot);
  const zip = new yazl.ZipFile();
  // A fixed time: the same checkout gives the same zip, whatever the files' mtimes.
  const mtime = new Date("2020-01-01T00:00:00Z");
  for (const file of files) zip.addFile(join(projectRoot, file), file, { mtime });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath, { mode: 0o600 }));
  return files.length;
}

/**
 * Where `aci-connector package` writes the package for azd, relative to the project root: azure.yaml's
 * `dist`, which azd zips as it is (Azure/azure-dev cli/azd/pkg/project/framework_service_node.go and
 * project_utils.go). Under dist/, the build's own output, so emptying it first can lose nothing else.
 */
export const azdPackageFolder = "dist/azd-package";

/** Writes the package's files into `folder`, emptied first; returns how many files it holds. */
export async function writeFunctionPackageFolder(projectRoot: string, folder: string): Promise<number> {
  const files = await functionPackageFiles(projectRoot);
  await rm(folder, { recursive: true, force: true });
  for (const file of files) {
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await copyFile(join(projectRoot, file), join(folder, file));
  }
  return files.length;
}

/** node_modules folders of the production dependencies, transitively, as npm resolved them. */
async function productionDependencyFolders(projectRoot: string): Promise<string[]> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await promisify(execFile)(npm, ["ls", "--omit=dev", "--all", "--parseable"], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((absolute) => relative(projectRoot, absolute))
    .filter((path) => path.startsWith("node_modules"));
}
