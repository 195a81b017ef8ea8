// Which test files a run gets, from the names given on the command line: groups ("unit") and file
// prefixes ("emulator/container-groups"). Kept apart from run.ts so that a test can check it: a group or
// a prefix that selects nothing is an error, never a run of zero tests that looks like a pass.

export interface Selection {
  /** Paths relative to the compiled test root, e.g. "emulator/container-groups.test.js", sorted. */
  readonly files: readonly string[];
  /** Why the selection cannot run as asked; empty when every group and prefix found files. */
  readonly problems: readonly string[];
}

/**
 * `names`: the command line's non-option arguments, none meaning every group. A bare group name takes
 * the whole group; a prefix takes the files of its group that start with it. `filesByGroup`: every
 * group's test files, relative to the compiled test root (a group whose folder is missing has none).
 */
export function selectTestFiles(names: readonly string[], filesByGroup: ReadonlyMap<string, readonly string[]>): Selection {
  const groups = [...filesByGroup.keys()];
  const groupOf = (name: string) => name.split("/")[0]!;
  const unknown = [...new Set(names.map(groupOf))].filter((g) => !groups.includes(g));
  if (unknown.length > 0) return { files: [], problems: [`unknown test group(s): ${unknown.join(", ")}; groups are ${groups.join(", ")}`] };

  const wanted = names.length > 0 ? names : groups;
  const problems: string[] = [];
  const files = new Set<string>();
  for (const name of wanted) {
    const inGroup = filesByGroup.get(groupOf(name)) ?? [];
    const taken = name.includes("/") ? inGroup.filter((f) => f.startsWith(name)) : inGroup;
    if (taken.length === 0) problems.push(name.includes("/") ? `no test file starts with ${name}` : `no test files in group ${name}`);
    for (const f of taken) files.add(f);
  }
  return { files: [...files].sort(), problems };
}
