/**
 * `cairn show <run_id> | --last [--format text|json|html]`: a run's summary and, per
 * step, its status, attempts, duration, origin and re-runs, read from its journal.
 * The three formats are views of one model (`journal/run-model.ts`); `--json` is
 * `--format json`.
 */
import type { RunModel } from "../../journal/run-model.js";
import { EXIT } from "../exit.js";
import { readRunModel } from "../run-model-read.js";
import type { StateDirFlags } from "../state-dir.js";

export type ShowFlags = StateDirFlags & { last?: boolean; json?: boolean; format?: string };

export async function showCommand(id: string | undefined, flags: ShowFlags): Promise<number> {
  const format = flags.json === true ? "json" : (flags.format ?? "text");
  const model = readRunModel(id, flags);
  if (typeof model === "number") return model;
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(model)}\n`);
  } else if (format === "html") {
    const { renderReport } = await import("../../report/html/page.js");
    process.stdout.write(renderReport(model));
  } else {
    process.stdout.write(`${showText(model)}\n`);
  }
  return EXIT.ok;
}

function showText(model: RunModel): string {
  const out: string[] = [
    `run ${model.run_id}: ${model.outcome}`,
    `  playbook  ${model.playbook}`,
    `  plan      ${model.plan_digest}`,
    `  started   ${model.started}${model.ended === null ? "" : `, ended ${model.ended}`}`,
    `  segments  ${model.segments}${model.reran.length > 0 ? ` (ran again after an interruption: ${model.reran.join(", ")})` : ""}`,
  ];
  if (model.stats !== null) {
    const s = model.stats;
    out.push(
      `  stats     ok=${s.ok} changed=${s.changed} skipped=${s.skipped} failed=${s.failed} ignored=${s.ignored} blocked=${s.blocked} cancelled=${s.cancelled}`,
    );
  }
  out.push("");
  const rows = model.steps.map((r) => [
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
  if (model.steps.some((r) => r.restored))
    out.push("", "* restored from an earlier segment by a resume");
  return out.join("\n");
}
