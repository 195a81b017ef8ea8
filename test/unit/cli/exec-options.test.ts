// `exec`'s arguments, kubectl exec's form, and the refusal of what ACI's single command string cannot
// carry as it is.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aciCommandString, execHelp, parseExecOptions, type ExecOptions } from "../../../cli/exec-options.js";

const parsed = (args: string[]): ExecOptions => {
  const result = parseExecOptions(args);
  assert.ok(result.ok, result.ok ? "" : result.error);
  return result.options;
};
const refused = (args: string[]): string => {
  const result = parseExecOptions(args);
  assert.ok(!result.ok && !result.help, `expected a refusal of ${JSON.stringify(args)}`);
  return result.error ?? "";
};

describe("exec: arguments", () => {
  it("reads kubectl exec's form: POD, -n, -c, -i, -t (and -it), the command after --", () => {
    assert.deepEqual(parsed(["web", "-n", "shop", "-c", "app", "-it", "--", "sh"]), { pod: "web", namespace: "shop", container: "app", stdin: true, tty: true, command: "sh", local: false, stateDir: ".local" });
    // Options after the pod too, long names, and the hint the kubelet API gives (POD -n NS -- COMMAND).
    assert.deepEqual(parsed(["--namespace=shop", "web", "--container", "app", "--stdin", "--", "echo", "hi"]), { pod: "web", namespace: "shop", container: "app", stdin: true, tty: false, command: "echo hi", local: false, stateDir: ".local" });
    assert.equal(parsed(["web", "--", "ls", "-la", "/"]).command, "ls -la /", "options after -- belong to the command");
  });

  it("reads where the cluster and the groups are", () => {
    const options = parsed(["web", "--kubeconfig", "/tmp/kc", "--context", "prod", "--subscription", "sub", "--aci-resource-group", "rg-aci", "--", "env"]);
    assert.deepEqual([options.kubeconfig, options.context, options.subscription, options.aciResourceGroup, options.local], ["/tmp/kc", "prod", "sub", "rg-aci", false]);
    assert.deepEqual([parsed(["web", "--local", "--state-dir", "/tmp/s", "--", "env"]).local, parsed(["web", "--local", "--state-dir", "/tmp/s", "--", "env"]).stateDir], [true, "/tmp/s"]);
  });

  it("asks for the pod, the command and -- where they are missing", () => {
    assert.match(refused(["--", "sh"]), /name the pod/);
    assert.match(refused(["web"]), /give the command after --/);
    assert.match(refused(["web", "sh"]), /the command goes after --: exec web -- sh/);
    assert.match(refused(["web", "other", "--", "sh"]), /one pod only, before --; also given: other/);
    assert.match(refused(["web", "--bogus", "--", "sh"]), /Unknown option '--bogus'/);
  });

  it("help is asked for, not refused", () => {
    assert.deepEqual(parseExecOptions(["--help"]), { ok: false, help: true });
    assert.deepEqual(parseExecOptions(["web", "-h", "--", "sh"]), { ok: false, help: true });
  });

  it("its help says what one command string means and what the exit status is", () => {
    const help = execHelp("kubectl aci exec");
    assert.match(help, /^Usage: kubectl aci exec POD /);
    assert.match(help, /single string/);
    assert.match(help, /ACI's exec reports no exit code/);
    assert.match(help, /exits 0 when the session ends\s+normally/);
  });
});

describe("exec: ACI's one command string", () => {
  const table: { description: string; argv: string[]; expected: ReturnType<typeof aciCommandString> }[] = [
    { description: "a command alone", argv: ["sh"], expected: { ok: true, command: "sh" } },
    { description: "arguments joined by single spaces", argv: ["cat", "/etc/creds/token"], expected: { ok: true, command: "cat /etc/creds/token" } },
    { description: "shell characters pass as they are (no shell is involved)", argv: ["echo", "$HOME", "a|b;c", "*"], expected: { ok: true, command: "echo $HOME a|b;c *" } },
    {
      description: "an argument with a space is refused by position, quoted",
      argv: ["echo", "hello world"],
      expected: { ok: false, problems: ['argument 1 ("hello world") holds a space: ACI\'s exec takes one command string with no quoting, so it cannot be passed as one argument; start a shell instead (-it -- sh) and type the command there'] },
    },
    {
      description: "every unfaithful argument is named, each with what it holds",
      argv: ["sh", "-c", "echo 'x'", "a\tb", "l1\nl2", 'say "hi"', "back\\slash", "bell\x07"],
      expected: {
        ok: false,
        problems: [
          "argument 2 (\"echo 'x'\") holds a space and a quote",
          'argument 3 ("a\\tb") holds a tab',
          'argument 4 ("l1\\nl2") holds a line break',
          'argument 5 ("say \\"hi\\"") holds a space and a quote',
          'argument 6 ("back\\\\slash") holds a backslash',
          'argument 7 ("bell\\u0007") holds a control character',
        ].map((p) => `${p}: ACI's exec takes one command string with no quoting, so it cannot be passed as one argument; start a shell instead (-it -- sh) and type the command there`),
      },
    },
    {
      description: "an empty argument cannot exist in a string split at spaces",
      argv: ["echo", ""],
      expected: { ok: false, problems: ["argument 1 is empty: ACI's exec takes one command string split at spaces, where an empty argument cannot exist"] },
    },
    {
      description: "the command itself is named as such",
      argv: ["/opt/my app/run"],
      expected: { ok: false, problems: ['the command "/opt/my app/run" holds a space: ACI\'s exec takes one command string with no quoting, so it cannot be passed as one argument; start a shell instead (-it -- sh) and type the command there'] },
    },
  ];
  for (const row of table) it(row.description, () => assert.deepEqual(aciCommandString(row.argv), row.expected));

  it("the parser refuses such a command instead of sending it changed", () => {
    assert.match(refused(["web", "--", "echo", "hello world"]), /^argument 1 \("hello world"\) holds a space/);
  });
});
