/** `cairn plan`, `validate`, `schema`, `eval`, `facts` through the built CLI: outputs and exit codes. */
import { describe, expect, it } from "vitest";
import { COMPAT_PLAYBOOKS, cairn } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

describe("cairn plan", () => {
  it("prints a readable text plan of a compat playbook", () => {
    const r = cairn(["plan", "compat/loops/with-items.yml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Install package");
    expect(r.stdout).toContain('echo "Installing ripgrep"');
    expect(r.stdout).toContain("with_items #1 item=ripgrep");
    const policies = cairn(["plan", "compat/execution-control/config.yml"]).stdout;
    expect(policies).toContain("timeout 5s");
    expect(policies).toContain("up to 4 attempts, 1s apart");
  });

  it("shows a step's output settings, and points at a size it cannot read", () => {
    const dir = project({
      "site.yml": "- shell: seq 1 10\n  output_limit: 1MiB\n  register_full: true\n",
      "bad.yml": "- shell: ls\n  output_limit: lots\n",
    });
    expect(cairn(["plan", "site.yml"], { cwd: dir }).stdout).toContain(
      "keeps 1 MiB of output, registers all output",
    );
    const bad = cairn(["plan", "bad.yml"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad.yml:2:17: error:");
    expect(bad.stderr).toContain("a size such as 256KiB");
  });

  it("prints byte-identical JSON twice", () => {
    const a = cairn(["plan", "compat/multi-file-configs/main.yml", "--format", "json"]);
    const b = cairn(["plan", "compat/multi-file-configs/main.yml", "--format", "json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const plan = JSON.parse(a.stdout) as { format_version: number; digest: string };
    expect(plan.format_version).toBe(1);
    expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("writes a plan file with -o", () => {
    const dir = project({ "site.yml": "- shell: echo hi\n" });
    const r = cairn(["plan", "site.yml", "-o", "site.plan.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(cairn(["plan", "site.yml", "--format", "yaml"], { cwd: dir }).stdout).toContain(
      "format_version: 1",
    );
  });

  it("reports an unknown key with file:line:col, the source line, a caret and a hint; exit 2", () => {
    const dir = project({ "site.yml": "- name: list\n  comand: ls\n" });
    const r = cairn(["plan", "site.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("site.yml:2:3: error: unknown field 'comand'");
    expect(r.stderr).toContain("comand: ls");
    expect(r.stderr).toContain("^");
    expect(r.stderr).toContain("did you mean 'command'?");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports an undefined variable at its character, and bad YAML, with exit 2", () => {
    const dir = project({ "a.yml": '- shell: "echo {{ nope }}"\n', "b.yml": "- shell: [\n" });
    const a = cairn(["plan", "a.yml"], { cwd: dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("a.yml:1:19:");
    expect(a.stderr).toContain("nope");
    const b = cairn(["validate", "b.yml"], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/b\.yml:\d+:\d+: error:/);
  });

  it("reports a missing include and two actions in one step", () => {
    const dir = project({
      "a.yml": "- include: nothere.yml\n",
      "b.yml": "- shell: ls\n  command: ls\n",
      "c.yml": "- name: x\n",
    });
    const a = cairn(["plan", "a.yml"], { cwd: dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("a.yml:1:");
    expect(a.stderr).toContain("nothere.yml");
    const b = cairn(["plan", "b.yml"], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/shell.*command|command.*shell/);
    const c = cairn(["plan", "c.yml"], { cwd: dir });
    expect(c.code).toBe(2);
  });

  it("exits 2 on a usage error and on a missing playbook", () => {
    expect(cairn(["plan"]).code).toBe(2);
    expect(cairn([]).code).toBe(2);
    expect(cairn(["--help"]).code).toBe(0);
    expect(cairn(["run", "--help"]).code).toBe(0);
    expect(cairn(["frobnicate"]).code).toBe(2);
    const missing = cairn(["plan", "no-such.yml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no-such.yml");
  });
});

describe("cairn validate, schema, facts, eval, --version", () => {
  it("validates every compat playbook", () => {
    const r = cairn(["validate", ...COMPAT_PLAYBOOKS]);
    expect(r.stderr).not.toContain("error:");
    // tags/config.yml has a plain value with ': ' inside; it is read as its author meant, with a warning.
    expect(r.stderr).toContain("config.yml:16:10: warning:");
    expect(r.code).toBe(0);
  });

  it("prints a JSON schema", () => {
    const r = cairn(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("$schema");
  });

  it("prints facts as JSON", () => {
    const r = cairn(["facts", "--json"]);
    expect(r.code).toBe(0);
    const facts = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(facts.os).toBe("linux");
    expect(typeof facts.cpu_cores).toBe("number");
  });

  it("evaluates expressions with vars and facts, and locates errors", () => {
    expect(cairn(["eval", "7 // 2 + len(xs)", "--var", "xs=[1,2]"]).stdout).toBe("5\n");
    expect(cairn(["eval", 'os == "linux" && !false']).stdout).toBe("true\n");
    expect(cairn(["eval", "-x", "--var", "x=3"]).stdout).toBe("-3\n");
    const bad = cairn(["eval", "1 + nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("<expression>:1:5:");
    expect(bad.stderr).toContain("1 + nope");
  });

  it("prints its version", () => {
    const r = cairn(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("cairn graph", () => {
  const site = `- name: a\n  shell: "true"\n- parallel:\n    - name: b\n      shell: "true"\n    - name: c\n      shell: "true"\n- name: d\n  shell: "true"\n`;

  it("prints the DAG as dot, from a playbook or a saved plan", () => {
    const dir = project({ "site.yml": site });
    const r = cairn(["graph", "site.yml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"a" -> "b";');
    expect(r.stdout).toContain('"c" -> "d";');
    expect(r.stdout).not.toContain('"b" -> "c"');
    expect(cairn(["plan", "site.yml", "-o", "p.json"], { cwd: dir }).code).toBe(0);
    expect(cairn(["graph", "p.json"], { cwd: dir }).stdout).toBe(r.stdout);
  });

  it("prints mermaid, and refuses a plan from a newer format", () => {
    const dir = project({ "site.yml": site, "new.json": '{"format_version": 99, "steps": []}' });
    const m = cairn(["graph", "site.yml", "--format", "mermaid"], { cwd: dir });
    expect(m.stdout.split("\n")[0]).toBe("flowchart TD");
    expect(m.stdout).toContain("s1 --> s2");
    const newer = cairn(["graph", "new.json"], { cwd: dir });
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain("format 99");
  });
});

describe("cairn diff", () => {
  it("lists added, removed and changed steps between a saved plan and a playbook", () => {
    const dir = project({
      "site.yml": `- name: keep\n  shell: echo keep\n- name: change me\n  shell: echo old\n- name: drop\n  shell: echo drop\n`,
      "new.yml": `- name: keep\n  shell: echo keep\n- name: change me\n  shell: echo new\n- name: added\n  shell: echo added\n`,
    });
    expect(cairn(["plan", "site.yml", "-o", "old.json"], { cwd: dir }).code).toBe(0);
    const r = cairn(["diff", "old.json", "new.yml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+ added");
    expect(r.stdout).toContain("- drop");
    expect(r.stdout).toContain('args.cmd: "echo old" → "echo new"');
    expect(r.stdout).not.toContain("~ keep");
    expect(r.stdout).toContain("1 to add, 1 to change, 1 to remove.");
    expect(cairn(["diff", "old.json", "site.yml"], { cwd: dir }).stdout).toContain("No changes");
  });
});
