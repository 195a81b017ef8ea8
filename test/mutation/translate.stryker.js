// `npm run test:mutation:translate`: stryker.config.json with shared/translate mutated and only its own
// tests run (Stryker's command line has no option for the tap runner's test files).
import { readFileSync } from "node:fs";

// npm runs its scripts from the project root.
const base = JSON.parse(readFileSync("stryker.config.json", "utf8"));

export default {
  ...base,
  mutate: ["shared/translate/**/*.ts"],
  // The table tests first, then the property tests, then the fuzz test: a mutant stops at the first
  // covering file that fails, and the table tests are the quickest and the most exact.
  tap: {
    testFiles: ["dist/test/unit/translate/!(*.properties|translation-fuzz).test.js", "dist/test/unit/translate/*.properties.test.js", "dist/test/unit/translate/translation-fuzz.test.js"],
  },
};
