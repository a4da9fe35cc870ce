/**
 * The timeline (a Gantt chart) as inline SVG: one bar per step at the time it ran,
 * coloured by status, each attempt a segment (failed attempts that were retried in
 * the retry colour, the wait between them dashed), the critical path outlined, and a
 * tooltip per bar. Up to ROW_LIMIT steps get a labelled row each; a larger run packs
 * its bars into lanes per host (as many lanes as steps ran at once), which keeps a
 * 10,000-step run a few hundred pixels tall.
 */
import type { RunModel, StepModel } from "../../journal/run-model.js";
import { clip, esc, fmtMs, statusClass } from "./escape.js";

export const ROW_LIMIT = 400;
const LABEL_W = 260;
const PLOT_W = 900;
const ROW_H = 20;
const BAR_H = 14;
const AXIS_H = 26;

interface Row {
  label: string;
  title: string;
  steps: { step: StepModel; index: number }[];
}

export function renderTimeline(model: RunModel): string {
  const timed = model.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.start_ms !== null);
  if (timed.length === 0) return `<p class="muted">No step has started yet.</p>`;
  timed.sort((a, b) => a.step.start_ms! - b.step.start_ms! || a.index - b.index);
  const multiHost = model.hosts.length > 1;
  const rows = timed.length <= ROW_LIMIT ? stepRows(timed, multiHost) : laneRows(timed);
  const span = Math.max(model.span_ms, 1);
  const x = (ms: number) => LABEL_W + (ms / span) * PLOT_W;
  const height = AXIS_H + rows.length * ROW_H + 4;
  const out: string[] = [
    `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W + 20}" height="${height}" role="img" aria-label="timeline">`,
    axis(span, x, height),
  ];
  rows.forEach((row, r) => {
    const y = AXIS_H + r * ROW_H;
    out.push(
      `<g class="row"><rect class="band" x="0" y="${y}" width="${LABEL_W + PLOT_W + 20}" height="${ROW_H}"/>`,
      `<text x="${LABEL_W - 8}" y="${y + 14}" text-anchor="end"><title>${esc(row.title)}</title>${esc(row.label)}</text>`,
    );
    for (const { step, index } of row.steps) out.push(bar(step, index, y + (ROW_H - BAR_H) / 2, x));
    out.push("</g>");
  });
  out.push("</svg>");
  return out.join("");
}

function stepRows(timed: { step: StepModel; index: number }[], multiHost: boolean): Row[] {
  return timed.map((t) => {
    const prefix = multiHost ? `${t.step.host}: ` : "";
    const mark = t.step.kind === "step" ? "" : ` (${t.step.kind})`;
    const full = `${prefix}${t.step.name}${mark}`;
    return { label: clip(full, 40), title: full, steps: [t] };
  });
}

/** Greedy interval packing per host: a bar goes in the first lane free at its start. */
function laneRows(timed: { step: StepModel; index: number }[]): Row[] {
  const byHost = new Map<string, { step: StepModel; index: number }[]>();
  for (const t of timed) {
    const list = byHost.get(t.step.host) ?? [];
    list.push(t);
    byHost.set(t.step.host, list);
  }
  const rows: Row[] = [];
  for (const [host, list] of byHost) {
    const lanes: { end: number; row: Row }[] = [];
    for (const t of list) {
      const start = t.step.start_ms!;
      let lane = lanes.find((l) => l.end <= start);
      if (lane === undefined) {
        const n = lanes.length + 1;
        lane = {
          end: 0,
          row: { label: `${host} lane ${n}`, title: `${host}, lane ${n}`, steps: [] },
        };
        lanes.push(lane);
      }
      lane.row.steps.push(t);
      lane.end = Math.max(t.step.end_ms ?? start, start + 0.0001);
    }
    rows.push(...lanes.map((l) => l.row));
  }
  return rows;
}

function bar(step: StepModel, index: number, y: number, x: (ms: number) => number): string {
  const classes = ["bar", statusClass(step.status)];
  if (step.critical) classes.push("crit");
  if (step.rescued) classes.push("rescued");
  const parts: string[] = [
    `<g class="${classes.join(" ")}" data-i="${index}" data-step="${esc(step.step_id)}"><title>${esc(tooltip(step))}</title>`,
  ];
  if (step.segments.length === 0) {
    // Skipped, blocked, cancelled: a thin mark where the decision was taken.
    parts.push(`<rect x="${x(step.start_ms!).toFixed(1)}" y="${y}" width="3" height="${BAR_H}"/>`);
  }
  let prevEnd: number | null = null;
  for (const seg of step.segments) {
    const x0 = x(seg.start_ms);
    const x1 = x(seg.end_ms ?? seg.start_ms);
    if (prevEnd !== null && x0 - prevEnd > 1) {
      const mid = y + BAR_H / 2;
      parts.push(
        `<line class="wait" x1="${prevEnd.toFixed(1)}" y1="${mid}" x2="${x0.toFixed(1)}" y2="${mid}"/>`,
      );
    }
    const cls =
      seg.outcome === "retry" || seg.outcome === "interrupted" ? ` class="seg-${seg.outcome}"` : "";
    parts.push(
      `<rect${cls} x="${x0.toFixed(1)}" y="${y}" width="${Math.max(x1 - x0, 2).toFixed(1)}" height="${BAR_H}" rx="2"/>`,
    );
    prevEnd = Math.max(x1, x0 + 2);
  }
  parts.push("</g>");
  return parts.join("");
}

function tooltip(s: StepModel): string {
  const lines = [
    s.name,
    `${s.status}${s.rescued ? " (rescued)" : ""}${s.changed ? ", changed" : ""} · ${s.action} on ${s.host}`,
    `start +${fmtMs(s.start_ms)}, took ${fmtMs(s.duration_ms ?? (s.end_ms ?? 0) - (s.start_ms ?? 0))}`,
  ];
  if (s.attempts > 1) {
    const retries = s.segments.filter((g) => g.outcome === "retry").map((g) => g.reason ?? "");
    lines.push(
      `${s.attempts} attempts${retries.length > 0 ? ` (retried: ${retries.join(", ")})` : ""}`,
    );
  }
  if (s.error !== null) lines.push(`error: ${clip(s.error, 200)}`);
  if (s.reason !== null) lines.push(`reason: ${clip(s.reason, 200)}`);
  if (s.kind !== "step") lines.push(s.kind);
  if (s.critical) lines.push("on the critical path");
  lines.push(s.origin);
  return lines.join("\n");
}

/** Gridlines and time labels at a round step (100ms, 250ms, 1s, 5s …). */
function axis(span: number, x: (ms: number) => number, height: number): string {
  const steps = [
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000,
    300_000, 600_000, 1_800_000, 3_600_000,
  ];
  const tick = steps.find((s) => span / s <= 10) ?? 3_600_000 * Math.ceil(span / 36_000_000);
  const out = [`<g class="axis">`];
  for (let t = 0; t <= span; t += tick) {
    const px = x(t).toFixed(1);
    out.push(
      `<line class="grid" x1="${px}" y1="${AXIS_H - 6}" x2="${px}" y2="${height}"/>`,
      `<text x="${px}" y="${AXIS_H - 10}" text-anchor="middle">${fmtMs(t)}</text>`,
    );
  }
  out.push("</g>");
  return out.join("");
}
