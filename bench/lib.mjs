// Helpers for bench/run.mjs: timing child processes, medians, playbook generators, tables.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

export class RunError extends Error {}

/**
 * Runs `cmd args` once and returns {ms, stdout, stderr}. stdout goes to /dev/null unless
 * `captureStdout`; stderr is captured (tail kept). Throws RunError on a non-zero exit or
 * on `timeoutMs` (the child is killed).
 */
export function timeRun(
  cmd,
  args,
  { env = {}, captureStdout = false, timeoutMs = 120_000, cwd } = {},
) {
  return new Promise((resolve, reject) => {
    const devnull = captureStdout ? null : openSync("/dev/null", "w");
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", captureStdout ? "pipe" : devnull, "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-20_000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      if (devnull !== null) closeSync(devnull);
      reject(new RunError(`${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      if (devnull !== null) closeSync(devnull);
      if (timedOut) return reject(new RunError(`timed out after ${timeoutMs / 1000} s`));
      if (code !== 0) {
        const tail = stderr.trim().split("\n").slice(-3).join(" | ");
        return reject(new RunError(`exit ${code ?? signal}: ${tail.slice(0, 300)}`));
      }
      resolve({ ms, stdout, stderr });
    });
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median wall time (ms) of `reps` runs (fewer once `opts.budgetMs` of run time is spent). */
export async function medianMs(reps, cmd, args, opts = {}) {
  const times = [];
  for (let i = 0; i < reps && !(sum(times) > (opts.budgetMs ?? Infinity)); i++)
    times.push((await timeRun(cmd, args, opts)).ms);
  return median(times);
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * Runs A and B in turn (A B A B …), `pairs` times, each as [cmd, args, opts]; returns the
 * median time of each and the median of the pair-by-pair ratios A/B, after one uncounted
 * run of each. Pairing keeps the ratio meaningful when the machine's speed drifts (a VM
 * shared with other work).
 */
export async function pairedMs(pairs, a, b) {
  const [as, bs, ratios] = [[], [], []];
  await timeRun(...a); // warm-up of each (file cache), not counted
  await timeRun(...b);
  for (let i = 0; i < pairs; i++) {
    const ta = (await timeRun(...a)).ms;
    const tb = (await timeRun(...b)).ms;
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

/** Median wall time and median peak RSS (kB) via `/usr/bin/time -v`. */
export async function medianMsRss(reps, cmd, args, opts = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < reps && !(sum(times) > (opts.budgetMs ?? Infinity)); i++) {
    const r = await timeRun("/usr/bin/time", ["-v", cmd, ...args], opts);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (!m) throw new RunError("no 'Maximum resident set size' in /usr/bin/time -v output");
    times.push(r.ms);
    rss.push(Number(m[1]));
  }
  return { ms: median(times), rssKb: median(rss) };
}

// ---- playbooks ---------------------------------------------------------------

/** N sequential `shell: "true"` steps. */
export function writeSeqPlaybook(dir, n) {
  const file = join(dir, `seq-${n}.yml`);
  let y = "";
  for (let i = 0; i < n; i++) y += `- name: s${i}\n  shell: "true"\n`;
  writeFileSync(file, y);
  return file;
}

/** A parallel group of N `sleep <s>` steps. */
export function writeParallelPlaybook(dir, n, seconds) {
  const file = join(dir, `par-${n}.yml`);
  let y = "- parallel:\n";
  for (let i = 0; i < n; i++) y += `    - name: p${i}\n      shell: "sleep ${seconds}"\n`;
  writeFileSync(file, y);
  return file;
}

/** A playbook including a file with one loop step over `items` (N items, in a vars file). */
export function writeLoopPlaybook(dir, n) {
  const sub = join(dir, `loop-${n}`);
  writeFileSync(join(dir, `items-${n}.json`), JSON.stringify({ items: [...Array(n).keys()] }));
  writeFileSync(
    `${sub}.inc.yml`,
    `- name: "step {{ item }}"\n  shell: "echo {{ item }}"\n  with_items: "{{ items }}"\n`,
  );
  writeFileSync(`${sub}.yml`, `- name: before\n  shell: "true"\n- include: loop-${n}.inc.yml\n`);
  return { playbook: `${sub}.yml`, varsFile: join(dir, `items-${n}.json`) };
}

/** One `shell` step writing `bytes` of 100-byte lines (the command is `outputCommand`). */
export function writeOutputPlaybook(dir, bytes) {
  const file = join(dir, `output-${bytes}.yml`);
  writeFileSync(file, `- name: flood\n  shell: ${outputCommand(bytes)}\n`);
  return file;
}

/** A shell command that writes `bytes` bytes of 100-byte lines, fast (the producer is not the bottleneck). */
export const outputCommand = (bytes) => `yes ${"a".repeat(99)} | head -c ${bytes}`;

/** The Ansible equivalent of writeSeqPlaybook. */
export function writeAnsiblePlaybook(dir, n) {
  const file = join(dir, `ansible-${n}.yml`);
  let y = "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n";
  for (let i = 0; i < n; i++) y += `    - name: s${i}\n      shell: "true"\n`;
  writeFileSync(file, y);
  return file;
}

// ---- environment ---------------------------------------------------------------

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** Makes sure `cmd` exists, installing Debian package `pkg` with apt-get if not. Returns a note or null. */
export function ensureTool(cmd, pkg, log) {
  if (has(cmd)) return null;
  log(`# ${cmd} missing: apt-get install -y ${pkg} …`);
  const r = spawnSync(
    "sh",
    ["-c", `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkg}`],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      timeout: 300_000,
    },
  );
  if (has(cmd)) return null;
  const why = (r.stderr?.toString() ?? r.error?.message ?? "").trim().split("\n").slice(-1)[0];
  return `could not install ${pkg} (${why || `exit ${r.status}`})`;
}

export function machine() {
  const cpus = os.cpus();
  let distro = `${os.type()} ${os.release()}`;
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (m) distro = `${m[1]} (${os.type()} ${os.release()})`;
  } catch {}
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? "unknown",
    node: process.version,
    os: `${distro}, ${os.arch()}`,
    memGb: (os.totalmem() / 2 ** 30).toFixed(1),
  };
}

// ---- formatting ----------------------------------------------------------------

export const fmtMs = (ms) =>
  ms === undefined || Number.isNaN(ms)
    ? "—"
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : ms >= 10
        ? `${ms.toFixed(0)} ms`
        : `${ms.toFixed(2)} ms`;
export const fmtMb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
export const fmtX = (r) => (r === undefined || !Number.isFinite(r) ? "—" : `${r.toFixed(2)}×`);

/** "yes" or "no — 34% over" for value `v` against an upper bound `limit` (same unit). */
export function met(v, limit) {
  if (v === undefined || Number.isNaN(v)) return "—";
  return v <= limit ? "yes" : `**no — ${(((v - limit) / limit) * 100).toFixed(0)}% over**`;
}

export function table(rows) {
  const head = ["figure", "cairn", "baseline", "ratio", "target", "met?"];
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A state directory with `n` finished runs (meta.json and plan.json each), for `cairn runs`. */
export function writeRunHistory(stateDir, n) {
  for (let i = 0; i < n; i++) {
    const id = `20260101T${String(100000 + i).slice(-6)}Z-${i.toString(16).padStart(6, "0")}`;
    const dir = join(stateDir, "runs", id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "plan.json"), '{"format_version":1,"steps":[]}\n');
    writeFileSync(
      join(dir, "meta.json"),
      JSON.stringify({
        run_id: id,
        playbook: "site.yml",
        root_dir: stateDir,
        plan_digest: "sha256:0",
        started: "2026-01-01T00:00:00.000Z",
        ended: "2026-01-01T00:00:01.000Z",
        outcome: "success",
        stats: null,
        duration_ms: 1000,
        segments: 1,
        reran: [],
        dry_run: false,
      }),
    );
  }
}
