/**
 * The bundle loads what a command needs and no more (issue 15): the live TTY view, the
 * network and archive code of actions the plan does not use stay in chunks of their own
 * that `cairn run` of a `shell` step never loads. Which modules loaded is recorded by a
 * module hook (test/helpers/load-trace.mjs), not inferred from timings.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const DIST = join(CLI, "..");
const TRACE_HOOK = fileURLToPath(new URL("../helpers/load-trace.mjs", import.meta.url));
const manifest = JSON.parse(readFileSync(join(DIST, "bundle-manifest.json"), "utf8")) as Record<
  string,
  string[]
>;

/** The output file of the bundle that holds `source` (a path from the repository root). */
function chunkOf(source: string): string {
  const found = Object.entries(manifest).filter(([, inputs]) => inputs.includes(source));
  expect(found.map(([file]) => file)).toHaveLength(1);
  return (found[0] as [string, string[]])[0];
}

/** Runs the CLI with the load trace on; the bundle's files it loaded, by name. */
function loadedBy(args: string[], cwd: string, env: Record<string, string> = {}) {
  const trace = join(cwd, "loaded.txt");
  const r = spawnSync(process.execPath, ["--import", TRACE_HOOK, CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "1", ...env, CAIRN_LOAD_TRACE: trace },
    encoding: "utf8",
    timeout: 60_000,
  });
  const urls = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  const files = urls
    .filter((u) => u.startsWith("file:") && fileURLToPath(u).startsWith(`${DIST}/`))
    .map((u) => basename(fileURLToPath(u)));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, files: new Set(files) };
}

describe("the CLI bundle's chunks", () => {
  it("keep the entry alone, and the TTY view, downloads and archives apart from the run's code", () => {
    expect(manifest["main.js"]).toEqual(["src/cli/entry.ts"]);
    const run = chunkOf("src/cli/commands/run.ts");
    const driver = chunkOf("src/driver/run-loop.ts");
    const plain = chunkOf("src/report/plain.ts");
    for (const lazy of [
      "src/report/tty.ts",
      "src/actions/download-fetch.ts",
      "src/actions/archive/zip.ts",
      "src/actions/wait.ts",
    ]) {
      expect([run, driver, plain, "main.js"]).not.toContain(chunkOf(lazy));
    }
  });

  it("`cairn run` of one shell step loads neither the TTY view nor unused actions", () => {
    const dir = project({ "one.yml": '- name: s0\n  shell: "echo hi"\n' });
    const r = loadedBy(["run", "one.yml"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("hi");
    // What it must load, so the trace is known to see the bundle's chunks.
    for (const used of ["src/cli/entry.ts", "src/report/plain.ts", "src/actions/shell.ts"])
      expect(r.files).toContain(chunkOf(used));
    for (const unused of [
      "src/report/tty.ts",
      "src/actions/download-fetch.ts",
      "src/actions/archive/zip.ts",
      "src/actions/wait.ts",
      "src/cli/otel.ts",
    ])
      expect(r.files).not.toContain(chunkOf(unused));
  });

  it("loads an action's chunk when the plan uses that action", () => {
    const dir = project({
      "wait.yml": "- name: w\n  wait:\n    file_exists: wait.yml\n    timeout: 5s\n",
    });
    const r = loadedBy(["run", "wait.yml"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.files).toContain(chunkOf("src/actions/wait.ts"));
    expect(r.files).not.toContain(chunkOf("src/actions/download-fetch.ts"));
  });
});
