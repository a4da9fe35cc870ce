/**
 * Secrets in the planner (SPEC §1.7, §2.1): a field that reads a secret is deferred with
 * the reason `secret` and shows the reference; the plan holds references only and its
 * digest covers them; mistakes are located errors; a secret in argv is a warning.
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import { compileFiles } from "../helpers/memory.js";

const SITE = `secrets:
  db_pw: {env: DB_PW}
  token: {cmd: [pass, show, api], timeout: 5s}
secret_env: [API_KEY]
vars:
  pw_alias: "{{ db_pw }}"
  users: [ann, "{{ db_pw }}"]
steps:
  - name: connect
    shell: psql -c 'select 1'
    env: {PGPASSWORD: "{{ pw_alias }}"}
  - name: "user {{ item }}"
    shell: echo "$U"
    env: {U: "{{ item }}"}
    with_items: "{{ users }}"
  - name: only with a key
    print: hello
    when: API_KEY | length > 10
  - name: in argv
    command: {argv: [curl, -H, "Authorization: {{ token }}"]}
`;

function plan(files: Record<string, string>, warnings: Diagnostic[] = []) {
  const r = compileFiles(files, { onWarning: (w) => warnings.push(w) });
  if (!r.ok) throw new Error(r.error.map((d) => d.message).join("\n"));
  return r.value;
}

function errors(files: Record<string, string>): string[] {
  const r = compileFiles(files);
  if (r.ok) throw new Error("expected errors");
  return r.error.map((d) => `${d.pos?.line}:${d.pos?.column} ${d.message}`);
}

describe("planning with secrets", () => {
  it("defers each field that reads a secret, with the reason and the secrets it reads", () => {
    const p = plan({ "site.yml": SITE });
    const connect = p.steps[0]!;
    expect(connect.exec.env.PGPASSWORD).toBe("«secret:db_pw»");
    expect(connect.deferred["exec.env.PGPASSWORD"]).toEqual({
      template: "{{ pw_alias }}",
      needs: [],
      reason: "secret",
      secrets: ["db_pw"],
    });
    expect(connect.secrets).toEqual(["db_pw"]);
    expect(p.steps[1]!.name).toBe("user ann");
    expect(p.steps[2]!.name).toBe("user «secret:db_pw»");
    expect(p.steps[2]!.loop?.item).toBe("«secret:db_pw»");
    expect(p.steps[1]!.secrets).toBeUndefined();
    // A `when` over a secret is decided when the step runs, not skipped at plan time.
    expect(p.steps[3]!.skipped).toBeNull();
    expect(p.steps[3]!.secrets).toEqual(["API_KEY"]);
  });

  it("holds the sources and references, never a value, and its digest covers the sources", () => {
    const p = plan({ "site.yml": SITE });
    expect(p.secrets).toEqual({
      API_KEY: { env: "API_KEY" },
      db_pw: { env: "DB_PW" },
      token: { cmd: ["pass", "show", "api"], timeout_ms: 5000 },
    });
    expect(p.vars.pw_alias).toBe("«secret:db_pw»");
    const other = plan({ "site.yml": SITE.replace("{env: DB_PW}", "{env: DB_PASSWORD}") });
    expect(other.digest).not.toBe(p.digest);
  });

  it("warns, at the step, when a secret would be in a command's argv", () => {
    const warnings: Diagnostic[] = [];
    plan({ "site.yml": SITE }, warnings);
    expect(warnings.map((w) => `${w.pos?.line} ${w.message}`)).toEqual([
      "20 secret 'token' is part of this command's argv: 'ps' shows it to every user of the machine",
    ]);
    expect(warnings[0]!.hint).toContain("env:");
  });

  it("reads `!secret NAME` in vars; an unknown name is a located error", () => {
    const p = plan({
      "site.yml":
        "secrets: {db_pw: {env: X}}\nvars:\n  pw: !secret db_pw\nsteps:\n  - print: '{{ pw }}'\n",
    });
    expect(p.steps[0]!.deferred["args.msg"]?.secrets).toEqual(["db_pw"]);
    expect(
      errors({ "site.yml": "secrets: {db_pw: {env: X}}\nvars:\n  pw: !secret db_p\nsteps: []\n" }),
    ).toEqual(["3:15 unknown secret 'db_p'"]);
  });

  it("refuses a variable computed from a secret (it would be written into the plan)", () => {
    expect(
      errors({
        "site.yml": "secrets: {pw: {env: X}}\nvars:\n  dsn: 'pg://u:{{ pw }}@h'\nsteps: []\n",
      }),
    ).toEqual([
      "3:9 in 'vars.dsn': a value computed from secret 'pw' would be written into the plan",
    ]);
  });

  it("checks the shape of secrets: at its line", () => {
    expect(
      errors({ "site.yml": "secrets:\n  a: {env: X}\n  b: {nope: 1}\nsteps: []\n" })[0],
    ).toMatch(/^3:/);
  });

  it("sensitive: true (and no_log, with a hint) marks the step", () => {
    const warnings: Diagnostic[] = [];
    const p = plan(
      { "site.yml": "steps:\n  - shell: x\n    sensitive: true\n  - shell: y\n    no_log: true\n" },
      warnings,
    );
    expect(p.steps.map((s) => s.sensitive)).toEqual([true, true]);
    expect(warnings.map((w) => w.hint)).toEqual(["write 'sensitive: true'"]);
  });
});

describe("secret environment variables at plan time", () => {
  it("env() cannot read a secret's source variable into the plan", () => {
    const r = compileFiles(
      {
        "site.yml": `secret_env: [API_KEY]\nsecrets:\n  pw: {env: DB_PW}\nsteps:\n  - shell: echo "{{ env('API_KEY') }} {{ env('DB_PW') }} {{ env('HOME') }}"\n`,
      },
      { env: { API_KEY: "k3y-VALUE-123456", DB_PW: "pw-VALUE-987654", HOME: "/home/tester" } },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const text = JSON.stringify(r.value);
    expect(text).not.toContain("k3y-VALUE-123456");
    expect(text).not.toContain("pw-VALUE-987654");
    expect(r.value.steps[0]!.args.cmd).toBe('echo "  /home/tester"');
  });
});
