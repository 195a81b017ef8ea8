// The failed tests of a run, read from node's TAP output as it streams by, to be printed again at its end.
// A whole run prints some 40,000 lines and CI shows only its last part: without this, a run that fails
// one test says "# fail 1" and nothing of which test it was or why.

/** One failed test: its suites' names and its own, outermost first, and its YAML block as printed. */
export interface FailedTest {
  readonly path: readonly string[];
  readonly details: readonly string[];
}

/** Lines kept of a failure's YAML block (an error, its stack and the values compared fit in this). */
const maxDetailLines = 60;

export class FailedTests {
  readonly failures: FailedTest[] = [];
  private readonly names: string[] = [];
  private open: { path: string[]; indent: number; details: string[] } | undefined;
  private partialLine = "";

  /** Takes the output as it comes, in chunks that may end inside a line. */
  feed(chunk: string): void {
    const lines = (this.partialLine + chunk).split("\n");
    this.partialLine = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (this.open !== undefined) {
      const yamlIndent = " ".repeat(this.open.indent + 2);
      if (line === `${yamlIndent}...`) return this.close();
      if (line.startsWith(yamlIndent)) {
        if (line !== `${yamlIndent}---`) this.open.details.push(line.slice(yamlIndent.length));
        return;
      }
      this.close(); // a failure printed without a YAML block
    }
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = subtest[1]!.length / 4;
      this.names.length = depth;
      this.names[depth] = subtest[2]!;
      return;
    }
    const notOk = /^( *)not ok \d+ - (.*)$/.exec(line);
    if (notOk) {
      const indent = notOk[1]!.length;
      this.open = { path: [...this.names.slice(0, indent / 4), notOk[2]!], indent, details: [] };
    }
  }

  private close(): void {
    const { path, details } = this.open!;
    this.open = undefined;
    // A suite fails when a test in it does; that test is reported on its own.
    if (details.some((d) => d === "failureType: 'subtestsFailed'")) return;
    const kept = details.length > maxDetailLines ? [...details.slice(0, maxDetailLines), `(${details.length - maxDetailLines} more lines in the output above)`] : details;
    this.failures.push({ path, details: kept });
  }

  /** The failures as lines to print, or none when every test passed. */
  summary(): string[] {
    if (this.failures.length === 0) return [];
    const lines = [`# ${this.failures.length} failed, repeated from above:`];
    for (const failure of this.failures) {
      lines.push(`# not ok: ${failure.path.join(" > ")}`);
      for (const d of failure.details) lines.push(`#   ${d}`);
    }
    return lines;
  }
}
