/**
 * A command that writes 300 MB passes through `cairn run` with memory that stays flat
 * (issue 8: 30 MB used to take 522 MB and 56 s; 300 MB never finished), plain and with
 * --json, whose file stays within 1.3× of the output's size. Peak RSS is measured with
 * GNU time, or from /proc/<pid>/status (VmHWM) where it is missing.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const BYTES = 300_000_000;
const LINE = "a".repeat(99);
/**
 * Measured on the 2-core test machine: about 115 MB peak for 300 MB of output, plain or
 * JSON, of which about 72 MB is cairn running a one-line step. The bound leaves room
 * for the garbage collector's mood, and is far below the output's size.
 */
const MAX_RSS_KB = 200 * 1024;
const GNU_TIME = "/usr/bin/time";

interface Measured {
  code: number | null;
  peakKb: number;
  stderr: string;
}

/** Runs the CLI with stdout to `outFile`; resolves with the exit code and the peak RSS. */
function measure(args: string[], cwd: string, outFile: string, tmp: string): Promise<Measured> {
  const out = openSync(outFile, "w");
  const env = { ...process.env, NO_COLOR: "1", CI: "1", TMPDIR: tmp };
  const timed = existsSync(GNU_TIME);
  const child = timed
    ? spawn(GNU_TIME, ["-f", "peak-rss-kb=%M", process.execPath, CLI, ...args], {
        cwd,
        env,
        stdio: ["ignore", out, "pipe"],
      })
    : spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", out, "pipe"] });
  let stderr = "";
  let polled = 0;
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-10_000);
  });
  const poll = timed
    ? null
    : setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
          polled = Math.max(polled, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        } catch {
          // Gone already.
        }
      }, 20);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      if (poll !== null) clearInterval(poll);
      const peak = timed ? Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? Number.NaN) : polled;
      resolve({ code, peakKb: peak, stderr });
    });
  });
}

function setup() {
  const dir = project({
    "site.yml": `- name: flood\n  shell: yes ${LINE} | head -c ${BYTES}\n  register: flood\n- name: after\n  shell: echo "{{ flood.stdout_bytes }} {{ flood.truncated }}"\n`,
  });
  const tmp = join(dir, "tmp");
  rmSync(tmp, { recursive: true, force: true });
  return { dir, tmp };
}

describe("300 MB of command output", () => {
  it("passes through a plain run with flat memory", async () => {
    const { dir, tmp } = setup();
    const outFile = join(dir, "out.txt");
    const r = await measure(["run", "site.yml"], dir, outFile, tmp);
    expect(r.code, r.stderr).toBe(0);
    expectFlat(r.peakKb);
    // Every line printed behind its 6-byte gutter ("  │ ").
    expect(statSync(outFile).size).toBeGreaterThan(BYTES + (BYTES / 100) * 6);
    const tail = readTail(outFile, 400);
    expect(tail).toContain(`  │ ${BYTES} True\n`);
    expect(tail).toMatch(/success: ok=0 changed=2/);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("passes through --json with flat memory, the NDJSON within 1.3× of the output", async () => {
    const { dir, tmp } = setup();
    const outFile = join(dir, "events.ndjson");
    const r = await measure(["run", "site.yml", "--json"], dir, outFile, tmp);
    expect(r.code, r.stderr).toBe(0);
    expectFlat(r.peakKb);
    expect(statSync(outFile).size).toBeLessThan(BYTES * 1.3);

    let lines = 0;
    let batches = 0;
    let result: Record<string, unknown> = {};
    for await (const text of createInterface({ input: createReadStream(outFile) })) {
      const e = JSON.parse(text) as Record<string, unknown>;
      if (e.type === "step.output" && e.step_id === "flood") {
        batches++;
        lines += e.lines as number;
      }
      if (e.type === "step.completed" && e.step_id === "flood")
        result = e.result as Record<string, unknown>;
    }
    // Nothing dropped, and many lines per event.
    expect(lines).toBe(BYTES / 100);
    expect(batches).toBeLessThan(lines / 100);
    expect(result).toMatchObject({ truncated: true, stdout_bytes: BYTES, stderr_bytes: 0 });
    expect(result).not.toHaveProperty("stdout_lines");
    expect(String(result.stdout).length).toBeLessThan(300 * 1024);
    // The whole stream is in the step's output file, in the run's directory of the journal.
    const file = String(result.stdout_file);
    expect(file).toMatch(/\/runs\/[^/]+\/output\/flood\.stdout$/);
    expect(statSync(file).size).toBe(BYTES);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

function expectFlat(peakKb: number): void {
  // A measurement that failed would read 0: Node alone is well over 10 MB.
  expect(peakKb).toBeGreaterThan(10 * 1024);
  expect(peakKb).toBeLessThan(MAX_RSS_KB);
}

function readTail(path: string, bytes: number): string {
  const size = statSync(path).size;
  const buf = Buffer.alloc(Math.min(bytes, size));
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, buf.length, size - buf.length);
  } finally {
    closeSync(fd);
  }
  return buf.toString();
}
