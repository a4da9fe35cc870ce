/**
 * Secrets through the CLI: `--secrets-file` (with located errors), `cairn eval` with and
 * without `--reveal`, `cairn plan` naming what each step reads, a `sensitive` step whose
 * output and result never reach an event.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const VALUE = "eval-secret-Value-42";

describe("secrets on the command line", () => {
  it("eval prints a secret redacted, and its value with --reveal", () => {
    const dir = project({ "s.yml": "pw: {env: EVAL_PW}\n" });
    const env = { EVAL_PW: VALUE };
    const args = ["eval", "pw | upper", "--secrets-file", "s.yml"];
    const hidden = cairn(args, { cwd: dir, env });
    expect(hidden).toMatchObject({ code: 0, stdout: '"«secret:pw»"\n' });
    const shown = cairn([...args, "--reveal"], { cwd: dir, env });
    expect(shown).toMatchObject({ code: 0, stdout: `"${VALUE.toUpperCase()}"\n` });
  });

  it("a malformed --secrets-file is a located error and exit 2", () => {
    const dir = project({
      "s.yml": "ok: {env: X}\nbad: {env: X, file: y}\n",
      "site.yml": "steps: [{print: hi}]\n",
    });
    const r = cairn(["plan", "site.yml", "--secrets-file", "s.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yml:2:\d+: error: secrets file: 'bad'/);
  });

  it("plan names the secrets a step reads; a sensitive step shows neither output nor result", () => {
    const dir = project({
      "s.yml": "pw: {env: SENS_PW}\n",
      "site.yml": `steps:
  - name: hidden
    shell: echo "$P and more"
    env: {P: "{{ pw }}"}
    sensitive: true
`,
    });
    const env = { SENS_PW: VALUE };
    const plan = cairn(["plan", "site.yml", "--secrets-file", "s.yml"], { cwd: dir, env });
    expect(plan.stdout).toContain("reads secret: pw (read when it runs)");
    expect(plan.stdout).toContain("sensitive: args, output and result hidden");
    const run = cairn(
      ["run", "site.yml", "--secrets-file", "s.yml", "--json", "--state-dir", join(dir, "st")],
      { cwd: dir, env },
    );
    expect(run.code).toBe(0);
    const evs = events(run.stdout);
    expect(evs.filter((e) => e.type === "step.output")).toEqual([]);
    const done = evs.find((e) => e.type === "step.completed")!;
    expect(done.result).toEqual({
      hidden: "sensitive step: args, output and result are not shown",
    });
    expect(run.stdout).not.toContain("and more");
  });
});
