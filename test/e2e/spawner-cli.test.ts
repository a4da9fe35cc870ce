/**
 * `CAIRN_SPAWNER=1`: steps' processes started through the spawner (src/transports/
 * spawner.ts) keep the local transport's guarantees, through the built CLI: output and
 * exit status, stdin, timeouts and cancel kill the whole group, and a kill -9 of cairn
 * leaves neither the spawner nor what it started running.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cairn, events, outputLines } from "../helpers/cli.js";
import { project } from "../helpers/project.js";
import { alive } from "../helpers/alive.js";
import { waitFor } from "../helpers/wait.js";

const ON = { CAIRN_SPAWNER: "1" };

describe("the spawner (CAIRN_SPAWNER=1)", () => {
  it("streams both outputs, feeds stdin and reports exit codes", () => {
    const dir = project({
      "site.yml": [
        "- name: talk",
        "  shell: \"echo out; echo err >&2; printf 'tail'\"",
        "  register: talk",
        "- name: echo stdin",
        "  shell: {cmd: cat, stdin: fed through}",
        "  register: fed",
        // Over 100 kB, the script itself goes to the shell on stdin.
        "- name: big script",
        `  shell: "${": ".concat("x".repeat(150_000))}; echo big"`,
        "  register: big",
        "- name: fails",
        "  shell: exit 3",
        "  ignore_errors: true",
        "  register: failed",
        "- print: '{{ talk.stdout }}|{{ talk.stderr }}|{{ fed.stdout }}|{{ big.stdout }}|{{ failed.rc }}'",
        "",
      ].join("\n"),
    });
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir, env: ON });
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(outputLines(evs, "talk")).toEqual(expect.arrayContaining(["out", "err", "tail"]));
    const printed = evs.find((e) => e.type === "step.completed" && e.action === "print") as
      | { result?: { msg?: string } }
      | undefined;
    expect(JSON.stringify(printed ?? evs)).toContain("out\\ntail|err|fed through|big|3");
  });

  it("kills a timed-out step's whole process group quickly", () => {
    const dir = project({
      "site.yml": `- name: slow\n  shell: "echo $$ > pid; sleep 30 & echo $! > bg; sleep 30"\n  timeout: 1s\n`,
    });
    const t0 = Date.now();
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir, env: ON });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    const failed = events(r.stdout).find((e) => e.type === "step.failed") as { error: string };
    expect(failed.error).toContain("timed out");
    for (const f of ["pid", "bg"])
      expect(alive(Number(readFileSync(join(dir, f), "utf8")))).toBe(false);
  });

  it("stops on SIGINT with exit 130 and leaves no orphan process", async () => {
    const dir = project({
      "site.yml": `- name: long\n  shell: "echo $$ > pid; sleep 20"\n- name: next\n  shell: echo next\n`,
    });
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "--json"], {
      cwd: dir,
      env: { ...process.env, CI: "1", ...ON },
    });
    await waitFor(() => readText(join(dir, "pid")) !== "", 15_000);
    // The first SIGINT lets the running step finish; the second cancels it.
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(alive(Number(readText(join(dir, "pid"))))).toBe(false);
    await waitFor(() => spawnersOf(child.pid).length === 0, 15_000);
  });

  it("leaves neither the spawner nor its processes running after a kill -9 of cairn", async () => {
    const dir = project({
      "site.yml": `- name: long\n  shell: "sleep 40 & echo $! > bg; echo $$ > pid; sleep 40"\n`,
    });
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "--no-journal"], {
      cwd: dir,
      env: { ...process.env, CI: "1", ...ON },
      stdio: "ignore",
    });
    await waitFor(
      () => readText(join(dir, "pid")) !== "" && readText(join(dir, "bg")) !== "",
      15_000,
    );
    const spawners = spawnersOf(child.pid);
    expect(spawners).toHaveLength(1);
    child.kill("SIGKILL");
    const pids = [...spawners, ...["pid", "bg"].map((f) => Number(readText(join(dir, f))))];
    await waitFor(() => pids.every((p) => !alive(p)), 15_000);
  });
});

/** Live (not zombie) processes whose parent is `ppid` and whose command line is the spawner's. */
function spawnersOf(ppid: number | undefined): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (fields[0] !== "Z" && Number(fields[1]) === ppid && cmd.includes("cairn-spawner"))
        found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : "";
}
