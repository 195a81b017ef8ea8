// Paths the tests read from, resolved from the compiled file's place (dist/test/support/).
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The team's read-only context sits beside the project: the seed's manifests are applied verbatim. */
export const seedDir = fileURLToPath(new URL("../../../../shared/seed/", import.meta.url));
