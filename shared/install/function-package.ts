// The zip the Function App runs (`--image-tag` maps to its version): the compiled functions and what
// they import, host.json, package.json, and the production dependencies exactly as npm installed them
// here, so Azure runs what the tests ran (no remote build that could resolve other versions).
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
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
