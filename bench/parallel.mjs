// Bench section 3: N × `sleep S` run 50 at a time, cairn against `xargs -P` on the same
// commands, measured in the same run. On a small shared VM process creation under
// concurrency is the real floor (even `xargs` takes many times the ideal N/jobs × S), so
// the yardstick is `xargs -P`, not the ideal: each round runs xargs, each cairn form, the
// bare Node pools and a 1-step cairn run one after another, and a cairn figure's ratio is
// the median of its rounds' ratios to that round's xargs.
// Whether cairn ran the steps in parallel at all is judged against N × the time of one
// step run alone (the sequential estimate), not against a fixed cutoff; the kill timeout
// is well above that estimate, so a slow machine is never mistaken for a sequential run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  fmtMs,
  fmtX,
  median,
  met,
  timeRun,
  writeLoopPlaybook,
  writeParallelPlaybook,
  writeSeqPlaybook,
} from "./lib.mjs";

/**
 * @param {{n: number, jobs: number, sleep: number, rounds: number, node: string, cli: string,
 *   floor: string, tmp: string, env: Record<string,string>, log: (s: string) => void,
 *   variants?: {label: string, env: Record<string,string>}[]}} o
 * @returns {Promise<{rows: string[][], notes: string[]}>}
 */
export async function parallelBench(o) {
  const { n, jobs, sleep, tmp, node, cli } = o;
  const cmd = `sleep ${sleep}`;
  const cairn = (args, env = {}) => [node, [cli, ...args], { cwd: tmp, env: { ...o.env, ...env } }];
  const loop = writeLoopPlaybook(tmp, n); // its vars file holds items 0..n-1
  const loopPb = join(tmp, `par-loop-${n}.yml`);
  writeFileSync(
    loopPb,
    `- name: "p {{ item }}"\n  shell: "${cmd}"\n  with_items: "{{ items }}"\n  parallel: ${jobs}\n`,
  );
  const items = join(tmp, `par-items-${n}.txt`);
  writeFileSync(items, Array.from({ length: n }, (_, i) => `${i}\n`).join(""));
  const one = writeSeqPlaybook(tmp, 1);
  const sleepPb = join(tmp, "par-sleep-seq.yml");
  const seqK = 10;
  writeFileSync(
    sleepPb,
    Array.from({ length: seqK }, (_, i) => `- name: s${i}\n  shell: "${cmd}"\n`).join(""),
  );

  // Sequential estimate: n × one step alone, measured in each round (a loaded machine slows
  // that too), per step = (wall(K sequential sleep steps) − wall(1 `true` step)) / (K − 1).
  const perStepOf = (seqWall, oneWall) => Math.max(sleep * 1000, (seqWall - oneWall) / (seqK - 1));
  const firstPer = perStepOf(
    (await timeRun(...cairn(["run", sleepPb]))).ms,
    (await timeRun(...cairn(["run", one]))).ms,
  );
  const timeoutMs = Math.max(60_000, 3 * n * firstPer);
  const opts = { timeoutMs };

  const variants = o.variants ?? [{ label: "", env: {} }];
  const forms = variants.flatMap((v) => [
    [`\`parallel:\` group${v.label}`, [writeParallelPlaybook(tmp, n, sleep)], v.env],
    [`loop with \`parallel: ${jobs}\`${v.label}`, [loopPb, "--vars-file", loop.varsFile], v.env],
  ]);
  const runs = {
    xargs: () =>
      timeRun("xargs", ["-P", String(jobs), "-n", "1", "-a", items, "sh", "-c", cmd, "sh"], opts),
    pool: () => timeRun(node, [o.floor, String(n), String(jobs), cmd], opts),
    piped: () => timeRun(node, [o.floor, String(n), String(jobs), cmd, "pipes"], opts),
    one: () => timeRun(...cairn(["run", one])),
  };
  const got = { xargs: [], pool: [], piped: [], one: [], perStep: [] };
  const cairnRuns = forms.map(() => ({ makespan: [], ratio: [], speedup: [], failed: null }));
  await runs.xargs(); // warm-up (file cache), not counted
  for (let r = 0; r < o.rounds; r++) {
    o.log(`  round ${r + 1}/${o.rounds}`);
    const x = (await runs.xargs()).ms;
    got.xargs.push(x);
    got.pool.push((await runs.pool()).ms / x);
    got.piped.push((await runs.piped()).ms / x);
    const w1 = (await runs.one()).ms;
    got.one.push(w1);
    const per = perStepOf((await timeRun(...cairn(["run", sleepPb]))).ms, w1);
    got.perStep.push(per);
    for (const [i, [, args, env]] of forms.entries()) {
      const c = cairnRuns[i];
      if (c.failed !== null) continue;
      try {
        const wall = (await timeRun(...cairn(["run", ...args, "--jobs", String(jobs)], env), opts))
          .ms;
        c.makespan.push(wall - w1);
        c.ratio.push((wall - w1) / x);
        c.speedup.push((n * per) / (wall - w1));
      } catch (e) {
        c.failed = /timed out/.test(e.message)
          ? `killed after ${(timeoutMs / 1000).toFixed(0)} s (one at a time: about ${fmtMs(n * per)})`
          : `error: ${e.message.replaceAll("|", "/")}`;
      }
    }
  }

  const xargsMs = median(got.xargs);
  const ideal = (n / jobs) * sleep * 1000;
  const rows = [
    [
      `\`xargs -P ${jobs} -n 1 sh -c '${cmd}'\` (the yardstick)`,
      "—",
      fmtMs(xargsMs),
      `${fmtX(xargsMs / ideal)} the ideal ${fmtMs(ideal)}`,
      "(reference)",
      "—",
    ],
    [
      `bare Node pool (bench/floor.mjs, ${jobs} at a time)`,
      "—",
      `xargs ${fmtMs(xargsMs)}`,
      fmtX(median(got.pool)),
      "(reference)",
      "—",
    ],
    [
      "bare Node pool with process groups and output pipes",
      "—",
      `xargs ${fmtMs(xargsMs)}`,
      fmtX(median(got.piped)),
      "(reference)",
      "—",
    ],
  ];
  const speedups = [];
  for (const [i, [label]] of forms.entries()) {
    const c = cairnRuns[i];
    if (c.makespan.length === 0) {
      rows.push([
        `makespan, ${label}`,
        c.failed ?? "—",
        `xargs ${fmtMs(xargsMs)}`,
        "—",
        "≤ 1.2× xargs",
        "**no**",
      ]);
      continue;
    }
    const makespan = median(c.makespan);
    const ratio = median(c.ratio);
    // Parallel at all? One at a time takes n × one step, and never less than n × the sleep.
    const speedup = median(c.speedup);
    const sequential = speedup < 2 && makespan >= n * sleep * 1000;
    const verdict = sequential
      ? `**no — ran one at a time (${speedup.toFixed(1)}× faster than n × one step)**`
      : met(ratio, 1.2);
    speedups.push(`${label}: ${speedup.toFixed(1)}×`);
    rows.push([
      `makespan, ${label}`,
      fmtMs(makespan),
      `xargs ${fmtMs(xargsMs)}`,
      fmtX(ratio),
      "≤ 1.2× xargs",
      verdict,
    ]);
    if (c.failed !== null)
      rows.push([`makespan, ${label} (a later round)`, c.failed, "—", "—", "—", "**no**"]);
  }
  const notes = [
    `${o.rounds} rounds; each round runs \`xargs -P ${jobs} -n 1 sh -c '${cmd}' sh\` over ${n} arguments (the same ${n} commands as cairn's steps), the bare Node pools (bench/floor.mjs: \`child_process.spawn\` ${jobs} at a time, timed from outside) and each cairn form (plain reporter, \`--jobs ${jobs}\`), in that order. ` +
      "makespan = wall(run) − wall(1-step run) of the same round (start-up excluded); each ratio is the median of the rounds' ratios to that round's xargs. " +
      `Sequential check: one step alone takes ${fmtMs(median(got.perStep))} here (${seqK} sequential \`${cmd}\` steps, each round), so one at a time would take about ${fmtMs(n * median(got.perStep))}; ` +
      `a row says "ran one at a time" only when its makespan is within 2× of that and not below n × ${sleep} s (the sleeps alone, back to back). Speed-up over one at a time: ${speedups.join("; ")}. Runs are killed only after ${(timeoutMs / 1000).toFixed(0)} s.`,
  ];
  return { rows, notes };
}
