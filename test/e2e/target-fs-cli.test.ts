/**
 * File actions through the target's shell (shellFs) end to end, through the built
 * CLI: as root, `become_user: nobody` sends every file operation of a step through
 * the transport (runuser), so the files are written as nobody, a 200 MB copy streams
 * through the process's stdin with cairn's peak memory bounded, and a second run
 * changes nothing (compared on the target by sha256sum).
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

/** cairn's peak RSS for a 200 MB copy; the bytes are streamed, never held. */
const PEAK_RSS_BOUND_KIB = 256 * 1024;
const NOBODY = 65534;

/** Runs the CLI with node's own high-water mark of resident memory printed at exit. */
function cairnWithPeak(args: string[], cwd: string) {
  const report =
    'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS="+process.resourceUsage().maxRSS+"\\n"))';
  const r = spawnSync(process.execPath, ["--import", report, CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "1" },
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const peak = Number(/MAXRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/MAXRSS=\d+\n/, ""), peak };
}

const asRoot = process.platform === "linux" && process.getuid?.() === 0;

describe.skipIf(!asRoot)("file actions through the target's shell (become_user)", () => {
  it("copies 200 MB, templates and edits as nobody, in bounded memory, then changes nothing", () => {
    const become = "  become: true\n  become_user: nobody\n";
    const dir = project({
      "t.j2": "x={{ x }}\n",
      "site.yml": [
        "vars: {x: 1}",
        "steps:",
        `- name: put\n  copy: {src: blob.bin, dest: out/copy.bin}\n${become}`,
        `- name: conf\n  template: {src: t.j2, dest: out/conf.txt, mode: "0640"}\n${become}`,
        `- name: line\n  lineinfile: {path: out/lines.txt, line: added, create: true}\n${become}`,
        "",
      ].join("\n"),
      "out/.keep": "",
    });
    // nobody must reach and write out/.
    chmodSync(dir, 0o755);
    chmodSync(join(dir, "out"), 0o777);
    const want = createHash("sha256");
    const fd = openSync(join(dir, "blob.bin"), "w");
    for (let i = 0; i < 200; i++) {
      const chunk = randomBytes(1_000_000);
      want.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const sha = want.digest("hex");

    const first = cairnWithPeak(["run", "site.yml", "--json"], dir);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const done = events(first.stdout).filter((e) => e.type === "step.completed");
    expect(done.map((e) => e.status)).toEqual(["changed", "changed", "changed"]);
    expect(done[0]).toMatchObject({ result: { checksum: sha } });
    const copy = join(dir, "out", "copy.bin");
    expect(statSync(copy).uid).toBe(NOBODY);
    expect(statSync(copy).size).toBe(200_000_000);
    expect(createHash("sha256").update(readFileSync(copy)).digest("hex")).toBe(sha);
    expect(readFileSync(join(dir, "out", "conf.txt"), "utf8")).toBe("x=1\n");
    expect(readFileSync(join(dir, "out", "lines.txt"), "utf8")).toBe("added\n");
    expect(statSync(join(dir, "out", "lines.txt")).uid).toBe(NOBODY);
    expect(statSync(join(dir, "out", "conf.txt")).uid).toBe(NOBODY);
    expect(statSync(join(dir, "out", "conf.txt")).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      ".keep",
      "conf.txt",
      "copy.bin",
      "lines.txt",
    ]);
    expect(first.peak).toBeGreaterThan(0);
    expect(first.peak).toBeLessThan(PEAK_RSS_BOUND_KIB);

    const second = cairnWithPeak(["run", "site.yml", "--json"], dir);
    expect(second.code).toBe(0);
    const again = events(second.stdout).filter((e) => e.type === "step.completed");
    expect(again.map((e) => e.status)).toEqual(["ok", "ok", "ok"]);
  }, 180_000);
});
