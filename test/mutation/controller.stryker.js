// `npm run test:mutation:controller`: stryker.config.json with shared/controller mutated and only its own
// tests run (Stryker's command line has no option for the tap runner's test files).
import { readFileSync } from "node:fs";

// npm runs its scripts from the project root.
const base = JSON.parse(readFileSync("stryker.config.json", "utf8"));

export default {
  ...base,
  mutate: ["shared/controller/**/*.ts"],
  tap: { testFiles: ["dist/test/unit/controller/**/*.test.js", "dist/test/unit/telemetry/controller-telemetry.test.js"] },
};
