/** `--vars-file x.json` and compact `cairn plan -o` files through the built CLI. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const SITE = `- name: greet
  shell: "echo hello {{ who }}"
- name: each
  shell: "echo item {{ item }}"
  with_items: "{{ items }}"
`;

describe("a JSON vars file", () => {
  it("gives the plan its variables", () => {
    const dir = project({ "site.yml": SITE, "v.json": '{"who": "json", "items": [1, 2, 3]}' });
    const r = cairn(["plan", "site.yml", "--vars-file", "v.json", "--format", "json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { steps: { name: string }[] };
    expect(plan.steps.map((s) => s.name)).toEqual(["greet", "each (1)", "each (2)", "each (3)"]);
    expect(r.stdout).toContain("echo hello json");
    expect(r.stdout).toContain("echo item 3");
  });

  it("with a syntax error: exit 2 and the error at file:line:col", () => {
    const dir = project({ "site.yml": SITE, "v.json": '{"who": "x",\n "items": [1, 2\n}\n' });
    const r = cairn(["plan", "site.yml", "--vars-file", "v.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/v\.json:3:1: error: vars file: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });
});

describe("cairn plan -o", () => {
  it("writes compact JSON that apply, diff and graph read", () => {
    const dir = project({ "site.yml": SITE, "v.json": '{"who": "file", "items": ["a"]}' });
    const vars = ["--vars-file", "v.json"];
    expect(cairn(["plan", "site.yml", ...vars, "-o", "site.plan.json"], { cwd: dir }).code).toBe(0);
    const text = readFileSync(join(dir, "site.plan.json"), "utf8");
    expect(text.trimEnd()).not.toContain("\n");
    const printed = cairn(["plan", "site.yml", ...vars, "--format", "json"], { cwd: dir });
    expect(JSON.parse(text)).toEqual(JSON.parse(printed.stdout));

    const diff = cairn(["diff", "site.plan.json", "site.yml", ...vars], { cwd: dir });
    expect(diff).toMatchObject({ code: 0, stdout: expect.stringContaining("No changes") });
    const graph = cairn(["graph", "site.plan.json"], { cwd: dir });
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('"greet" [label="1. greet"]');

    const run = cairn(["apply", "site.plan.json", "--json", "--state-dir", "state"], { cwd: dir });
    expect(run.code).toBe(0);
    const done = events(run.stdout).filter((e) => e.type === "step.completed");
    expect(done.map((e) => e.status)).toEqual(["changed", "changed"]);
    expect(run.stdout).toContain("hello file");
    expect(run.stdout).toContain("item a");
  });
});
