/**
 * Hostile input through the built CLI (issue 8): deep YAML (block and flow), deep
 * expressions, huge strings and loops, backtracking regexes, join/unique/`~` bombs, a
 * second document after a big first one, long include chains. Sizes come from a
 * seeded generator, so a failure replays exactly.
 *
 * The invariant, for every input: `cairn validate`/`plan` exits 0, 1 or 2 (never 3,
 * never a signal), an exit 2 prints a located `file:line:col: error:`, it finishes
 * within 20 s, and it stays within a 512 MB heap (`--max-old-space-size`: a memory
 * blow-up becomes a crash this test sees).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

/** mulberry32: a small seeded PRNG; the seed is fixed so every run sees the same inputs. */
function prng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(r * (hi - lo + 1));
  };
}

const rand = prng(0x8badf00d);
const pick = <T>(xs: readonly T[]): T => xs[rand(0, xs.length - 1)] as T;

/** One hostile case: the files of a project, the playbook to run and the command. */
interface Case {
  name: string;
  files: Record<string, string>;
  command: "validate" | "plan";
}

/** A step whose shell command is the template `tpl` (quoted for YAML). */
const shellStep = (tpl: string): string => `- shell: ${JSON.stringify(`echo ${tpl}`)}\n`;

const blockNest = (depth: number): string =>
  `- vars:\n${Array.from({ length: depth }, (_, i) => `${"  ".repeat(i + 2)}k${i}:\n`).join("")}${"  ".repeat(depth + 2)}v\n- shell: ls\n`;

const GENERATORS: ((n: number) => Omit<Case, "command">)[] = [
  (n) => ({ name: `block mapping nested ${n * 60}`, files: { "site.yml": blockNest(n * 60) } }),
  (n) => ({
    name: `block sequences nested ${n * 100}`,
    files: { "site.yml": `- vars:\n    x: ${"- ".repeat(n * 100)}1\n- shell: ls\n` },
  }),
  (n) => ({
    name: `flow sequence nested ${n * 500}`,
    files: { "site.yml": `- vars:\n    x: ${"[".repeat(n * 500)}${"]".repeat(n * 500)}\n` },
  }),
  (n) => ({
    name: `flow mapping nested ${n * 500}`,
    files: { "site.yml": `- vars:\n    x: ${"{a: ".repeat(n * 500)}1${"}".repeat(n * 500)}\n` },
  }),
  (n) => ({
    name: `parentheses nested ${n * 300} in an expression`,
    files: { "site.yml": shellStep(`{{ ${"(".repeat(n * 300)}1${")".repeat(n * 300)} }}`) },
  }),
  (n) => ({
    name: `brackets nested ${n * 300} in a when`,
    files: { "site.yml": `- shell: ls\n  when: "${"[".repeat(n * 300)}1${"]".repeat(n * 300)}"\n` },
  }),
  (n) => ({
    name: `operator chain of ${n * 10_000} terms`,
    files: {
      "site.yml": shellStep(
        `{{ ${Array(n * 10_000)
          .fill(pick(["1", "'a'"]))
          .join(pick([" ~ ", " + "]))} }}`,
      ),
    },
  }),
  (n) => ({
    name: `{% if %} nested ${n * 200}`,
    files: {
      "site.yml": shellStep(`${"{% if true %}".repeat(n * 200)}x${"{% endif %}".repeat(n * 200)}`),
    },
  }),
  (n) => ({
    name: `'x' * 10**${6 + (n % 4)}`,
    files: { "site.yml": shellStep(`{{ ('x' * 10**${6 + (n % 4)}) | length }}`) },
  }),
  (n) => ({
    name: `~ doubling ${n + 20} times`,
    files: {
      "site.yml": shellStep(
        `{% set s = 'xx' %}${"{% set s = s ~ s %}".repeat(n + 20)}{{ s | length }}`,
      ),
    },
  }),
  (n) => ({
    name: `with_items over range(10**${6 + (n % 2)})`,
    files: {
      "site.yml": `- shell: "echo {{ item }}"\n  with_items: "{{ range(10**${6 + (n % 2)}) }}"\n`,
    },
  }),
  (n) => ({
    name: `nested for loops, ${n + 1} deep`,
    files: {
      "site.yml": shellStep(
        `${Array.from({ length: n + 1 }, (_, i) => `{% for i${i} in range(1000000) %}`).join("")}x${"{% endfor %}".repeat(n + 1)}`,
      ),
    },
  }),
  (n) => ({
    name: `ReDoS: ${["regex_replace", "regex_search", "match test"][n % 3]} on ${n * 10_000} a's`,
    files: {
      "site.yml": shellStep(
        [
          `{{ s | regex_replace('(a+)+$', 'b') | length }}`,
          `{{ s | regex_search('(a|aa)+$') }}`,
          `{{ s is match('(a*)*b') }}`,
        ][n % 3] ?? "",
      ).replace(/^/, `- vars:\n    s: "${"a".repeat(n * 10_000)}!"\n`),
    },
  }),
  (n) => ({
    name: `range(${n * 50_000}) | list | unique`,
    files: { "site.yml": shellStep(`{{ range(${n * 50_000}) | list | unique | length }}`) },
  }),
  (n) => ({
    name: `range(999999) | join(separator of ${n * 500})`,
    files: {
      "site.yml": shellStep(`{{ range(999999) | join('${"-".repeat(n * 500)}') | length }}`),
    },
  }),
  (n) => ({
    name: `from_json of a value nested ${n * 20_000}`,
    files: {
      "site.yml": `- vars:\n    j: "${"[".repeat(n * 20_000)}${"]".repeat(n * 20_000)}"\n${shellStep("{{ j | from_json }}")}`,
    },
  }),
  (n) => ({
    name: `second document after ${n} MB`,
    files: {
      "site.yml": `- shell: ls\n  vars:\n    x: |\n${`      ${"y".repeat(100)}\n`.repeat(n * 10_000)}---\n- shell: ls\n`,
    },
  }),
  (n) => {
    const files: Record<string, string> = { "site.yml": "- include: f0.yml\n" };
    for (let i = 0; i < n * 300; i++) files[`f${i}.yml`] = `- include: f${i + 1}.yml\n`;
    files[`f${n * 300}.yml`] = "- shell: ls\n";
    return { name: `include chain of ${n * 300} files`, files };
  },
];

const CASES: Case[] = GENERATORS.map((g) => ({
  ...g(rand(1, 10)),
  command: pick(["validate", "plan"] as const),
}));

/** The project directory for a case (nested paths are created). */
function write(files: Record<string, string>): string {
  const dir = project({});
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the CLI on hostile input: exit 0-2, a located error, bounded time and memory", () => {
  it.each(CASES)(
    "$command: $name",
    ({ files, command }) => {
      const cwd = write(files);
      const r = spawnSync(
        process.execPath,
        ["--max-old-space-size=512", "--stack-size=984", CLI, command, "site.yml"],
        {
          cwd,
          env: { ...process.env, NO_COLOR: "1", CI: "1" },
          encoding: "utf8",
          timeout: 20_000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const said = `${r.stderr.slice(0, 2000)}`;
      expect(r.error?.message ?? null, said).toBeNull();
      expect(r.signal, said).toBeNull();
      expect([0, 1, 2], said).toContain(r.status);
      expect(said).not.toMatch(/internal error|RangeError|\n\s+at /);
      if (r.status === 2) expect(said).toMatch(/^[^\s:]+\.yml:\d+:\d+: error: /m);
    },
    30_000,
  );
});
