/** The report's head: outcome, playbook, run id, plan digest, times, hosts and stats. */
import type { RunModel } from "../../journal/run-model.js";
import { esc, fmtMs } from "./escape.js";

export function renderSummary(model: RunModel): string {
  const critical = model.critical_path.length;
  const facts: [string, string][] = [
    ["playbook", esc(model.playbook)],
    ["run", `<code>${esc(model.run_id)}</code>${model.dry_run ? " (dry run)" : ""}`],
    ["plan", `<code>${esc(model.plan_digest)}</code>`],
    ["started", esc(model.started) + (model.ended === null ? "" : `, ended ${esc(model.ended)}`)],
    ["duration", fmtMs(model.duration_ms ?? model.span_ms)],
    ["hosts", esc(model.hosts.join(", "))],
    ["steps", String(model.steps.length)],
  ];
  if (model.segments > 1)
    facts.push([
      "segments",
      `${model.segments} (resumed${model.reran.length > 0 ? `; ran again: ${esc(model.reran.join(", "))}` : ""})`,
    ]);
  if (critical > 0) facts.push(["critical path", `${critical} step${critical === 1 ? "" : "s"}`]);
  const out = [
    `<h1>cairn run <span class="outcome o-${esc(model.outcome)}">${esc(model.outcome)}</span></h1>`,
    `<p class="headline">${headline(model)}</p>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`,
  ];
  if (model.outcome === "running")
    out.push(
      `<div class="live">This run is still running: the report shows its journal up to +${fmtMs(model.span_ms)}. Render it again to see more.</div>`,
    );
  if (model.outcome === "crashed")
    out.push(
      `<div class="live">This run's process is gone before it ended: <code>cairn resume</code> continues it.</div>`,
    );
  const counts = statusCounts(model);
  out.push(
    `<div class="stats">${counts.map(([k, n]) => `<div class="stat s-${esc(k)}"><b>${n}</b>${esc(k)}</div>`).join("")}</div>`,
  );
  return out.join("");
}

/** The run's stats when it ended, else counted from the steps so far. */
function statusCounts(model: RunModel): [string, number][] {
  if (model.stats !== null)
    return Object.entries(model.stats).filter(
      ([k, n]) => n > 0 || k === "failed" || k === "changed" || k === "ok",
    );
  const counts = new Map<string, number>();
  for (const s of model.steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts];
}

/** One sentence: how many steps, how long, what failed, and the chain that set the pace. */
function headline(model: RunModel): string {
  const failed = model.steps.filter((s) => s.status === "failed");
  const rescued = failed.filter((s) => s.rescued).length;
  const parts = [`${model.steps.length} steps in ${fmtMs(model.duration_ms ?? model.span_ms)}`];
  if (failed.length > 0)
    parts.push(
      `${failed.length} failed${rescued > 0 ? ` (${rescued} rescued)` : ""}: ${esc(
        failed
          .map((s) => s.name)
          .slice(0, 3)
          .join(", "),
      )}`,
    );
  const names = new Map(model.steps.map((s) => [s.step_id, s.name]));
  const path = model.critical_path.map((id) => names.get(id) ?? id);
  if (path.length > 1 && path.length <= 12) parts.push(`critical path: ${esc(path.join(" → "))}`);
  return parts.join("; ");
}
