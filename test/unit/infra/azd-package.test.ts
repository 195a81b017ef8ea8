// azd's package is install's package: azure.yaml makes azd deploy the folder `aci-connector package`
// writes, and that folder holds exactly the files install zips. azd's rules, read in its source
// (Azure/azure-dev cli/azd/pkg/project): the node framework packages the service's `dist` folder
// (framework_service_node.go); the function target zips it all but `.azure` folders, the ignore file
// `.funcignore`, `local.settings.json`, and what a `.funcignore` there excludes; without one, and with
// remoteBuild false, node_modules stays in (project_utils.go, createDeployableZip).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { azdPackageFolder, functionPackageFiles, writeFunctionPackageFolder } from "../../../shared/install/function-package.js";
import { projectRoot } from "../../support/paths.js";

interface AzureYaml {
  requiredVersions?: { azd?: string };
  services: Record<string, { dist?: string; remoteBuild?: boolean; host?: string; hooks?: Record<string, { run?: string }> }>;
}

const azureYaml = parse(readFileSync(join(projectRoot, "azure.yaml"), "utf8")) as AzureYaml;
const service = azureYaml.services.connector!;

describe("azd's package", () => {
  it("is the folder `aci-connector package` writes, deployed as it is (no remote build)", () => {
    assert.equal(service.host, "function");
    assert.equal(service.dist, azdPackageFolder);
    assert.equal(service.remoteBuild, false, "a remote build would resolve the dependencies again, and azd drops node_modules without remoteBuild: false");
    assert.equal(service.hooks?.prepackage?.run, "node bin/aci-connector.js package");
    // A .funcignore at the project root is read by azd for the remoteBuild check only, and one
    // excluding node_modules would make `remoteBuild: false` an error.
    assert.ok(!existsSync(join(projectRoot, ".funcignore")));
  });

  it("needs an azd that deletes only the resource groups the template declares (1.24.0, Azure/azure-dev#7698)", () => {
    assert.equal(azureYaml.requiredVersions?.azd, ">= 1.24.0");
  });

  it("holds exactly install's files, none of them one azd would leave out, and nothing left from an earlier run", async () => {
    const folder = await mkdtemp(join(tmpdir(), "azd-package-"));
    try {
      await mkdir(join(folder, "dist", "test"), { recursive: true });
      await writeFile(join(folder, "dist", "test", "stale.js"), "");
      const count = await writeFunctionPackageFolder(projectRoot, folder);
      const written = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join("/")).sort();
      const installs = await functionPackageFiles(projectRoot);
      assert.deepEqual(written, installs);
      assert.equal(count, installs.length);
      for (const file of written) {
        const parts = file.split("/");
        assert.ok(!parts.includes(".azure") && !["local.settings.json", ".funcignore"].includes(parts.at(-1)!), `azd would leave out ${file}`);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
