/**
 * Command output through the library API (SPEC §3.4): batched events, results capped to
 * head and tail, the per-step output files, register_full and the warning for a later
 * step that reads a cut output.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Event, type ExecuteOptions, execute, loadPlaybook } from "../src/index.js";
import { project } from "./helpers/project.js";

/** Temporary output directories the runs wrote, removed at the end. */
const spilled: string[] = [];
afterAll(() => {
  for (const dir of spilled) rmSync(dir, { recursive: true, force: true });
});

async function run(yml: string, options: Partial<ExecuteOptions> = {}) {
  const dir = project({ "site.yml": yml });
  const loaded = loadPlaybook(join(dir, "site.yml"));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const events: Event[] = [];
  const result = await execute(loaded.value.plan, {
    rootDir: loaded.value.rootDir,
    playbook: "site.yml",
    subscribers: [(e) => events.push(e)],
    ...options,
  });
  if (result.outputDir !== null && options.outputDir === undefined) spilled.push(result.outputDir);
  const of = <T extends Event["type"]>(type: T, step?: string) =>
    events.filter(
      (e): e is Extract<Event, { type: T }> =>
        e.type === type && (step === undefined || ("step_id" in e && e.step_id === step)),
    );
  return { dir, result, events, of };
}

const completed = (r: Awaited<ReturnType<typeof run>>, step: string) =>
  r.of("step.completed", step)[0]?.result ?? {};

describe("command output", () => {
  it("batches many lines into few step.output events, all before the step's end", async () => {
    const r = await run("- name: count\n  shell: seq 1 100000\n");
    const outputs = r.of("step.output", "count");
    expect(outputs.length).toBeLessThan(50);
    expect(outputs.reduce((n, e) => n + e.lines, 0)).toBe(100_000);
    const lines = outputs.flatMap((e) => e.line.split("\n"));
    expect(lines[0]).toBe("1");
    expect(lines.at(-1)).toBe("100000");
    const last = r.events.findLastIndex((e) => e.type === "step.output");
    const end = r.events.findIndex((e) => e.type === "step.completed");
    expect(last).toBeLessThan(end);
  });

  it("keeps head and tail in the result, names the file with all of it, and registers the lines", async () => {
    const r = await run(
      "- name: big\n  shell: seq 1 100000\n  output_limit: 1KiB\n  register: big\n" +
        '- name: count\n  print: "{{ big.stdout_lines | length }} {{ big.truncated }}"\n',
    );
    const result = completed(r, "big");
    expect(result).toMatchObject({ truncated: true, stdout_bytes: 588_895, stderr_bytes: 0 });
    expect(result).not.toHaveProperty("stdout_lines");
    expect((result.stdout as string).length).toBeLessThan(1100);
    const file = result.stdout_file as string;
    expect(file).toBe(join(r.result.outputDir!, "big.stdout"));
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(100_001);
    // Head (512 bytes) and tail (512 bytes) lines plus the "bytes cut" line.
    const count = completed(r, "count").msg as string;
    expect(count).toMatch(/^\d+ True$/);
    expect(Number(count.split(" ")[0])).toBeLessThan(300);
  });

  it("with register_full, registers all of a cut output, read back from its file", async () => {
    const r = await run(
      "- name: big\n  shell: seq 1 100000\n  output_limit: 1000\n  register_full: true\n  register: big\n" +
        '- name: count\n  print: "{{ big.stdout_lines | length }} {{ big.truncated }}"\n',
    );
    expect(completed(r, "big")).toMatchObject({ truncated: true });
    expect(completed(r, "count").msg).toBe("100000 False");
    expect(r.of("step.message")).toEqual([]);
  });

  it("warns once, naming both steps, when a later step reads a cut output", async () => {
    const r = await run(
      "- name: big\n  shell: seq 1 100000\n  output_limit: 1000\n  register: big\n" +
        '- name: rc only\n  print: "{{ big.rc }}"\n' +
        "- name: grep\n  shell: echo found\n  when: \"'50000' in big.stdout\"\n" +
        '- name: again\n  print: "{{ big.stdout_lines | last }}"\n',
    );
    const warnings = r.of("step.message");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ step_id: "grep", level: "warning" });
    expect(warnings[0]!.message).toMatch(
      /^site\.yml:7:3: warning: 'big' holds only the head and tail of the output of 'big' \(site\.yml:1:3: stdout 588895 bytes\); add 'register_full: true'/,
    );
    expect(r.of("step.skipped", "grep")).toHaveLength(1);
  });

  it("writes every step's streams to outputDir when given, a retry to its own files", async () => {
    const dir = project({});
    const r = await run(
      "- name: quiet\n  shell: 'true'\n" +
        "- name: talk\n  shell: echo out; echo err >&2; exit 1\n  retries: 1\n  retry_delay: 10ms\n  ignore_errors: true\n" +
        "- id: odd/id x\n  shell: printf 'é'\n",
      { outputDir: join(dir, "output") },
    );
    expect(r.result.outputDir).toBe(join(dir, "output"));
    const files = readdirSync(join(dir, "output")).sort();
    expect(files).toEqual([
      expect.stringMatching(/^odd_id_x-[0-9a-f]{8}\.stdout$/),
      "talk.attempt-2.stderr",
      "talk.attempt-2.stdout",
      "talk.stderr",
      "talk.stdout",
    ]);
    expect(readFileSync(join(dir, "output", "talk.stderr"), "utf8")).toBe("err\n");
    expect(readFileSync(join(dir, "output", files[0]!), "utf8")).toBe("é");
    // Not cut: the result holds it all and names no file.
    expect(completed(r, "odd/id x")).not.toHaveProperty("stdout_file");
  });

  it("writes no file for output within the limit when no outputDir is given", async () => {
    const r = await run("- name: hi\n  shell: echo hi\n");
    expect(r.result.outputDir).toBeNull();
    expect(completed(r, "hi").stdout).toBe("hi");
  });

  it("keeps running when the output directory cannot be written, and says so", async () => {
    const dir = project({ "not-a-dir": "x" });
    const r = await run("- name: hi\n  shell: echo hi\n", { outputDir: join(dir, "not-a-dir") });
    expect(r.result.outcome).toBe("success");
    expect(completed(r, "hi").stdout).toBe("hi");
    expect(r.of("step.message", "hi")[0]?.message).toMatch(
      /output not saved in full: cannot write/,
    );
    expect(existsSync(join(dir, "not-a-dir", "hi.stdout"))).toBe(false);
  });
});
