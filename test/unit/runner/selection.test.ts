// The test runner's selection (test/selection.ts): what `node dist/test/run.js <names>` runs. A name that
// selects nothing must stop the run, or a renamed folder or a typo would pass as "0 tests, 0 failures".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectTestFiles } from "../../selection.js";

const tree = new Map<string, readonly string[]>([
  ["unit", ["unit/a.test.js", "unit/relay/b.test.js"]],
  ["emulator", ["emulator/container-groups.test.js", "emulator/faults.test.js"]],
  ["bench", []],
]);

describe("test selection", () => {
  const cases: { description: string; names: string[]; files: string[]; problems: string[] }[] = [
    { description: "every group when none is named; an empty one is a problem", names: [], files: [...tree.get("unit")!, ...tree.get("emulator")!].sort(), problems: ["no test files in group bench"] },
    { description: "a whole group", names: ["unit"], files: ["unit/a.test.js", "unit/relay/b.test.js"], problems: [] },
    { description: "a group and a prefix in another group: the whole first group, and the prefix's files", names: ["unit", "emulator/container"], files: ["emulator/container-groups.test.js", "unit/a.test.js", "unit/relay/b.test.js"], problems: [] },
    { description: "a named group with no files", names: ["unit", "bench"], files: ["unit/a.test.js", "unit/relay/b.test.js"], problems: ["no test files in group bench"] },
    { description: "a prefix that matches nothing", names: ["emulator/nothing-here"], files: [], problems: ["no test file starts with emulator/nothing-here"] },
    { description: "a prefix that matches nothing beside one that does", names: ["emulator/faults", "unit/typo"], files: ["emulator/faults.test.js"], problems: ["no test file starts with unit/typo"] },
    { description: "an unknown group", names: ["units"], files: [], problems: ["unknown test group(s): units; groups are unit, emulator, bench"] },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.deepEqual(selectTestFiles(c.names, tree), { files: c.files, problems: c.problems });
    });
  }
});
