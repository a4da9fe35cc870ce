/** Presets (SPEC §1.8) through the built CLI: mooncake's own presets, the search path, parameter errors, `cairn presets`. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cairn, MOONCAKE } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const PRESETS = join(MOONCAKE, "presets");

/** mooncake presets that are broken in themselves, and why (each is checked to fail). */
const BROKEN: Record<string, string> = {
  cqlsh: "includes tasks/install.yml and tasks/uninstall.yml, which it does not ship",
  mlflow: "includes tasks/configure.yml, which it does not ship",
  "influx-cli":
    "tasks/install.yml: a block scalar whose heredoc lines are not indented (invalid YAML)",
  grafana: "uses Ansible's until/delay, which mooncake does not have",
  minio: "uses Ansible's until/delay and loop, which mooncake does not have",
  mongodb: "uses Ansible's until/delay, which mooncake does not have",
  mysql: "uses Ansible's until/delay, which mooncake does not have",
  prometheus: "uses Ansible's until/delay and loop, which mooncake does not have",
  rabbitmq: "uses Ansible's until/delay, which mooncake does not have",
  vault: "uses Ansible's until/delay and environment, which mooncake does not have",
  kubectl: "calls lookup_env(), a function mooncake does not have",
  uv: "calls Ansible's lookup('env', ...), which mooncake does not have",
  pytorch: "sets vars from a registered result under a runtime when (vars are plan-time)",
};

interface ParamDef {
  type: string;
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
}

const SAMPLE: Record<string, unknown> = {
  string: "x",
  bool: true,
  int: 1,
  number: 1,
  array: [],
  object: {},
};

/** A one-step playbook calling the preset with its defaults, required parameters synthesized. */
function wrapper(name: string): string {
  const def = parse(readFileSync(join(PRESETS, name, "preset.yml"), "utf8")) as {
    parameters?: Record<string, ParamDef>;
  };
  const given: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(def.parameters ?? {}))
    if (p.required === true && p.default === undefined) given[k] = p.enum?.[0] ?? SAMPLE[p.type];
  return `${JSON.stringify([{ name: `Use ${name}`, preset: name, with: given }])}\n`;
}

describe("mooncake's presets", () => {
  const names = readdirSync(PRESETS)
    .filter((n) => n !== "LICENSE")
    .sort();

  it("every preset plans with its default parameters, except the broken ones listed", () => {
    expect(names.length).toBeGreaterThan(150);
    const files = Object.fromEntries(names.map((n) => [`${n}.yml`, wrapper(n)]));
    const dir = project(files);
    const r = cairn(["validate", "--presets-dir", PRESETS, ...names.map((n) => `${n}.yml`)], {
      cwd: dir,
    });
    const ok = new Set([...r.stdout.matchAll(/^(\S+)\.yml: ok/gm)].map((m) => m[1]));
    const failing = names.filter((n) => !ok.has(n));
    expect(failing).toEqual(Object.keys(BROKEN).sort());
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a plan says which preset file won, and ids sit under the preset step", () => {
    const dir = project({ "site.yml": "- name: Object store\n  preset: ollama\n" });
    const r = cairn(["plan", "site.yml", "--presets-dir", PRESETS, "--format", "json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      presets: { name: string; file: string }[];
      steps: { id: string; origin: { file: string; chain: { file: string; line: number }[] } }[];
    };
    expect(plan.presets).toEqual([{ name: "ollama", file: join(PRESETS, "ollama/preset.yml") }]);
    expect(plan.steps.every((s) => s.id.startsWith("object-store/"))).toBe(true);
    expect(plan.steps[0]!.origin.chain[0]).toMatchObject({ file: "site.yml", line: 1 });
    expect(plan.steps[0]!.origin.chain[1]!.file).toBe(join(PRESETS, "ollama/preset.yml"));
    const text = cairn(["plan", "site.yml", "--presets-dir", PRESETS], { cwd: dir }).stdout;
    expect(text).toContain(`preset ollama from ${join(PRESETS, "ollama/preset.yml")}`);
  });
});

const HELLO = `name: hello
description: Print a greeting
version: 1.0.0
parameters:
  who:
    type: string
    required: true
    description: Name to greet
  times:
    type: int
    default: 1
  mood:
    type: string
    default: calm
    enum: [calm, excited]
steps:
  - name: Greet
    template: {src: templates/greeting.j2, dest: "{{ out }}"}
  - name: Say
    print: "Hello, {{ parameters.who }} x{{ parameters.times }} ({{ parameters.mood }})"
`;

function helloProject(site: string, where = "presets/hello"): string {
  return project({
    "site.yml": site,
    [`${where}/preset.yml`]: HELLO,
    [`${where}/templates/greeting.j2`]: "Hi {{ parameters.who }}!\n",
  });
}

describe("calling a preset", () => {
  it("runs a preset from ./presets: parameters, defaults, and files from the preset's directory", () => {
    const dir = helloProject(
      "- vars: {out: greeting.txt}\n- preset: {name: hello, with: {who: Ada, times: 3}}\n",
    );
    const r = cairn(["run", "site.yml"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello, Ada x3 (calm)");
    expect(readFileSync(join(dir, "greeting.txt"), "utf8")).toBe("Hi Ada!\n");
  });

  it("reports parameter mistakes at the parameter, with exit 2", () => {
    const dir = helloProject(
      [
        "- vars: {out: g.txt}",
        "- preset: hello",
        "  with: {who: Ada, times: many, mood: angry, tmes: 2}",
        "- preset: hello",
        "",
      ].join("\n"),
    );
    const r = cairn(["plan", "site.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "site.yml:3:27: error: parameter 'times' of preset 'hello' must be an integer, got a string (\"many\")",
    );
    expect(r.stderr).toContain(
      "site.yml:3:39: error: parameter 'mood' of preset 'hello' must be one of",
    );
    expect(r.stderr).toContain("site.yml:3:46: error: preset 'hello' has no parameter 'tmes'");
    expect(r.stderr).toContain("did you mean 'times'?");
    expect(r.stderr).toContain(
      "site.yml:4:11: error: preset 'hello' needs parameter 'who' (Name to greet)",
    );
  });

  it("says which directories it searched when a preset is not found, with a did-you-mean", () => {
    const dir = helloProject("- preset: helo\n");
    const r = cairn(["plan", "site.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("site.yml:1:11: error: preset 'helo' not found in presets,");
    expect(r.stderr).toContain("did you mean 'hello'?");
  });

  it("searches --presets-dir, CAIRN_PRESETS_PATH, then ~/.cairn and ~/.mooncake; ./presets wins", () => {
    const site = "- vars: {out: g.txt}\n- preset: hello\n  with: {who: Bo}\n";
    const fromHome = helloProject(site, "home/.mooncake/presets/hello");
    const home = { HOME: join(fromHome, "home") };
    const plan = (args: string[], env: Record<string, string> = {}) =>
      cairn(["plan", "site.yml", ...args], { cwd: fromHome, env: { ...home, ...env } });
    expect(plan([]).stdout).toContain(
      `preset hello from ${join(fromHome, "home/.mooncake/presets/hello/preset.yml")}`,
    );
    const other = helloProject(site, "lib/hello");
    expect(plan([], { CAIRN_PRESETS_PATH: `/nonexistent:${join(other, "lib")}` }).stdout).toContain(
      `preset hello from ${join(other, "lib/hello/preset.yml")}`,
    );
    expect(plan(["--presets-dir", join(other, "lib")]).stdout).toContain(
      `from ${join(other, "lib/hello/preset.yml")}`,
    );
    const local = helloProject(site);
    const r = cairn(["plan", "site.yml", "--presets-dir", join(other, "lib")], { cwd: local });
    expect(r.stdout).toContain("preset hello from presets/hello/preset.yml");
  });
});

describe("cairn presets", () => {
  it("lists the presets found and the search path", () => {
    const r = cairn(["presets", "list", "--presets-dir", PRESETS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+VERSION\s+DESCRIPTION$/m);
    expect(r.stdout).toMatch(/^ollama\s+1\.0\.0\s+Install and manage Ollama LLM runtime$/m);
    expect(r.stdout).toContain(PRESETS);
  });

  it("shows a preset's parameters as a table, and how to call it", () => {
    const r = cairn(["presets", "show", "ollama", "--presets-dir", PRESETS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}NAME\s+TYPE\s+REQUIRED\s+DEFAULT\s+ALLOWED\s+DESCRIPTION$/m);
    expect(r.stdout).toMatch(
      /^ {2}method\s+string\s+no\s+"auto"\s+auto \| script \| package\s+Installation method/m,
    );
    expect(r.stdout).toContain("    preset: ollama");
    const missing = cairn(["presets", "show", "olama", "--presets-dir", PRESETS]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("did you mean 'ollama'?");
  });
});
