/**
 * `cairn show <run_id> | --last [--json]`: a run's summary and, per step, its status,
 * attempts, duration, origin and re-runs, read from its journal.
 */
import { summarizeSteps } from "../../journal/summary.js";
import { EXIT } from "../exit.js";
import { openStore, pickRun, type StateDirFlags } from "../state-dir.js";

export function showCommand(
  id: string | undefined,
  flags: StateDirFlags & { last?: boolean; json?: boolean },
): number {
  const store = openStore(flags);
  const runId = pickRun(store, id, flags.last === true);
  if (runId === null) {
    process.stderr.write(`error: no runs in ${store.runsDir}\n`);
    return EXIT.invalid;
  }
  const read = store.read(runId);
  if (!read.ok) {
    process.stderr.write(`error: ${read.message}\n`);
    return EXIT.invalid;
  }
  const { meta, plan, records } = read.value;
  const outcome = meta.outcome === "running" && !store.isLive(runId) ? "crashed" : meta.outcome;
  const steps = summarizeSteps(plan, records);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ ...meta, outcome, steps })}\n`);
    return EXIT.ok;
  }
  const out: string[] = [
    `run ${runId}: ${outcome}`,
    `  playbook  ${meta.playbook}`,
    `  plan      ${meta.plan_digest}`,
    `  started   ${meta.started}${meta.ended === null ? "" : `, ended ${meta.ended}`}`,
    `  segments  ${meta.segments}${meta.reran.length > 0 ? ` (ran again after an interruption: ${meta.reran.join(", ")})` : ""}`,
  ];
  if (meta.stats !== null) {
    const s = meta.stats;
    out.push(
      `  stats     ok=${s.ok} changed=${s.changed} skipped=${s.skipped} failed=${s.failed} ignored=${s.ignored} blocked=${s.blocked} cancelled=${s.cancelled}`,
    );
  }
  out.push("");
  const rows = steps.map((r) => [
    r.status + (r.restored ? "*" : ""),
    String(r.attempts),
    r.duration_ms === null ? "-" : `${r.duration_ms}ms`,
    r.reruns > 0 ? `rerun×${r.reruns}` : "",
    r.origin,
    r.name,
  ]);
  const head = ["STATUS", "ATTEMPTS", "DURATION", "RERUNS", "ORIGIN", "STEP"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows])
    out.push(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
  if (steps.some((r) => r.restored)) out.push("", "* restored from an earlier segment by a resume");
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}
