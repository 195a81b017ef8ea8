// Paths the tests read from, resolved from the compiled file's place (dist/test/support/).
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The seed's two Deployments, verbatim from the walkthrough this project re-creates. */
export const seedDir = fileURLToPath(new URL("../../../examples/", import.meta.url));
