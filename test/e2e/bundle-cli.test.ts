/**
 * The CLI bundle initializes what a command needs and no more (issue 15): the live TTY
 * view, the network and archive code of actions the plan does not use, OpenTelemetry
 * stay uninitialized in `cairn run` of a `shell` step. Which modules a process
 * initialized is recorded by the bundle itself (`CAIRN_MODULE_TRACE`,
 * src/cli/module-trace.ts), not inferred from timings. And the bundle is compiled
 * through V8's code cache (src/cli/code-cache.ts), which must never change what a
 * command does: a missing, corrupt or unwritable cache is only slower.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

function cairn(args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "1", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** Runs the CLI with the module trace on; the source modules it initialized. */
function initializedBy(args: string[], cwd: string) {
  const trace = join(cwd, "modules.txt");
  const r = cairn(args, cwd, { CAIRN_MODULE_TRACE: trace });
  const modules = new Set(readFileSync(trace, "utf8").split("\n").filter(Boolean));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

describe("the CLI bundle", () => {
  it("is pure ASCII (the entry reads it as latin1) and starts as CommonJS", () => {
    const bundle = readFileSync(join(CLI, "..", "cairn.cjs"));
    expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
    // No ES module entry: Node would load its ESM loader before the first line.
    const pkg = JSON.parse(readFileSync(join(CLI, "..", "package.json"), "utf8"));
    expect(pkg.type).toBe("commonjs");
    expect(readFileSync(CLI, "utf8")).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("`cairn run` of one shell step initializes neither the TTY view nor unused actions", () => {
    const dir = project({ "one.yml": '- name: s0\n  shell: "echo hi"\n' });
    const r = initializedBy(["run", "one.yml"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("hi");
    // What it must initialize, so the trace is known to see the bundle's modules.
    for (const used of ["src/cli/main.ts", "src/report/plain.ts", "src/actions/shell.ts"])
      expect(r.modules).toContain(used);
    for (const unused of [
      "src/report/tty.ts",
      "src/actions/download-fetch.ts",
      "src/actions/archive/zip.ts",
      "src/actions/wait.ts",
      "src/cli/otel.ts",
      "src/transports/ssh.ts",
      "src/inventory/index.ts",
    ])
      expect(r.modules).not.toContain(unused);
  });

  it("initializes an action's module when the plan uses that action", () => {
    const dir = project({
      "wait.yml": "- name: w\n  wait:\n    file_exists: wait.yml\n    timeout: 5s\n",
    });
    const r = initializedBy(["run", "wait.yml"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.modules).toContain("src/actions/wait.ts");
    expect(r.modules).not.toContain("src/actions/download-fetch.ts");
  });

  it("`cairn plan` does not initialize the engine or the driver", () => {
    const dir = project({ "one.yml": '- name: s0\n  shell: "echo hi"\n' });
    const r = initializedBy(["plan", "one.yml"], dir);
    expect(r.code).toBe(0);
    expect(r.modules).toContain("src/plan/planner.ts");
    expect(r.modules).not.toContain("src/driver/run-loop.ts");
    expect(r.modules).not.toContain("src/engine/engine.ts");
  });
});

describe("the code cache", () => {
  const pb = { "one.yml": '- name: s0\n  shell: "echo hi"\n' };

  it("is written per command on first use and used, unchanged, afterwards", () => {
    const dir = project(pb);
    const cache = join(dir, "cache");
    // A command refused on its input (exit 2) did little of its work: no cache from it,
    // or every later run would compile the rest again.
    const typo = cairn(["run", "missing.yml", "--no-journal"], dir, { CAIRN_CACHE_DIR: cache });
    expect(typo.status).toBe(2);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
    const first = cairn(["run", "one.yml", "--no-journal"], dir, { CAIRN_CACHE_DIR: cache });
    expect(first.status).toBe(0);
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^cli-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+-run\.bin$/);
    const written = readFileSync(join(cache, files[0] as string));
    const second = cairn(["run", "one.yml", "--no-journal"], dir, { CAIRN_CACHE_DIR: cache });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("hi");
    // Accepted, so not rewritten.
    expect(readFileSync(join(cache, files[0] as string)).equals(written)).toBe(true);
    cairn(["validate", "one.yml"], dir, { CAIRN_CACHE_DIR: cache });
    expect(readdirSync(cache).sort()).toEqual([files[0], files[0]?.replace("-run.", "-validate.")]);
  });

  it("replaces a corrupt cache, and keeps only the newest 48 files", () => {
    const dir = project(pb);
    const cache = join(dir, "cache");
    cairn(["run", "one.yml", "--no-journal"], dir, { CAIRN_CACHE_DIR: cache });
    const [name] = readdirSync(cache) as [string];
    writeFileSync(join(cache, name), "not a code cache at all");
    // Caches of other builds (another installed cairn): older ones go first.
    for (let i = 0; i < 50; i++) {
      const other = join(cache, `cli-${String(i).padStart(16, "0")}-v0.0.0-x64-run.bin`);
      writeFileSync(other, "another build's");
      utimesSync(other, 1_000_000 + i, 1_000_000 + i);
    }
    const r = cairn(["run", "one.yml", "--no-journal"], dir, { CAIRN_CACHE_DIR: cache });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("hi");
    const kept = readdirSync(cache);
    expect(kept).toHaveLength(48);
    expect(kept).toContain(name);
    expect(kept).not.toContain(`cli-${"0".repeat(16)}-v0.0.0-x64-run.bin`);
    expect(kept).toContain(`cli-${"49".padStart(16, "0")}-v0.0.0-x64-run.bin`);
    expect(readFileSync(join(cache, name)).length).toBeGreaterThan(100_000);
  });

  it("changes nothing when it cannot be written, or is turned off", () => {
    const dir = project(pb);
    // Not a mode bit (root writes anyway): a file where the directory should be.
    const blocked = join(dir, "blocked");
    writeFileSync(blocked, "");
    for (const env of [{ CAIRN_CACHE_DIR: join(blocked, "sub") }, { CAIRN_CODE_CACHE: "0" }]) {
      const r = cairn(["run", "one.yml", "--no-journal"], dir, env);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("hi");
    }
    const off = join(dir, "off");
    cairn(["run", "one.yml"], dir, { CAIRN_CODE_CACHE: "0", CAIRN_CACHE_DIR: off });
    expect(() => readdirSync(off)).toThrow();
  });
});
