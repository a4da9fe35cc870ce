/**
 * A run as one self-contained HTML page: summary, timeline, graph, step table and
 * per-step details, with its stylesheet and script inline and a Content-Security-
 * Policy that forbids any network request. Pure: model in, string out.
 */
import type { RunModel } from "../../journal/run-model.js";
import { renderDag } from "./dag.js";
import { renderDetails } from "./details.js";
import { esc } from "./escape.js";
import { SCRIPT } from "./script.js";
import { STYLE } from "./style.js";
import { renderSummary } from "./summary.js";
import { renderTable } from "./table.js";
import { renderTimeline } from "./timeline.js";

const LEGEND = [
  "ok",
  "changed",
  "failed",
  "ignored",
  "skipped",
  "blocked",
  "cancelled",
  "compensated",
  "running",
];

export function renderReport(model: RunModel): string {
  const legend = [
    ...LEGEND.map((s) => `<span><i style="background:var(--${s})"></i>${s}</span>`),
    `<span><i class="retry"></i>failed attempt, retried</span>`,
    `<span><i class="crit"></i>critical path</span>`,
  ].join("");
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>cairn run ${esc(model.run_id)}: ${esc(model.outcome)}</title>`,
    `<style>${STYLE}</style></head><body><main>`,
    `<section id="summary">${renderSummary(model)}</section>`,
    `<section><h2>Timeline</h2><div class="legend">${legend}</div><div class="scroll">${renderTimeline(model)}</div></section>`,
    `<section><h2>Graph</h2><div class="scroll">${renderDag(model)}</div></section>`,
    `<section><h2>Steps</h2>${renderTable(model)}</section>`,
    `<section><h2>Output, diffs and errors</h2>${renderDetails(model.steps)}</section>`,
    `</main><script>${SCRIPT}</script></body></html>`,
    "",
  ].join("");
}
