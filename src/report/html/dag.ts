/**
 * The plan's graph as inline SVG with each step's status: columns by depth (a step
 * sits one column right of the deepest step it needs), edges from what a step needs,
 * the critical path drawn bold. Handlers go in a last column (they run at the end).
 * A graph of more than NODE_LIMIT steps is not drawn: it would not be readable, and
 * `cairn graph` prints it for a graph tool.
 */
import type { RunModel, StepModel } from "../../journal/run-model.js";
import { clip, esc, statusClass } from "./escape.js";

export const NODE_LIMIT = 300;
const NODE_W = 170;
const NODE_H = 24;
const GAP_X = 46;
const GAP_Y = 10;
const PAD = 12;

export function renderDag(model: RunModel): string {
  const steps = model.steps;
  if (steps.length > NODE_LIMIT)
    return `<p class="muted">The graph of ${steps.length} steps is not drawn here (more than ${NODE_LIMIT}); <code>cairn graph</code> prints it.</p>`;
  const index = new Map(steps.map((s, i) => [s.step_id, i]));
  const depth = depths(steps, index);
  const columns: number[][] = [];
  steps.forEach((_, i) => {
    const d = depth[i]!;
    columns[d] = [...(columns[d] ?? []), i];
  });
  const pos: { x: number; y: number }[] = [];
  columns.forEach((col, c) => {
    col.forEach((i, r) => {
      pos[i] = { x: PAD + c * (NODE_W + GAP_X), y: PAD + r * (NODE_H + GAP_Y) };
    });
  });
  const width = PAD * 2 + columns.length * (NODE_W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(...columns.map((c) => c.length)) * (NODE_H + GAP_Y) - GAP_Y;
  const crit = new Set(model.critical_path);
  const out = [
    `<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="step graph">`,
  ];
  steps.forEach((s, i) => {
    for (const need of s.needs) {
      const j = index.get(need);
      if (j === undefined) continue;
      const a = pos[j]!;
      const b = pos[i]!;
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      const cls = crit.has(need) && crit.has(s.step_id) ? "edge crit" : "edge";
      out.push(`<path class="${cls}" d="M${x1} ${y1}C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}"/>`);
    }
  });
  steps.forEach((s, i) => {
    const p = pos[i]!;
    const cls = `node ${statusClass(s.status)}${s.critical ? " crit" : ""}`;
    const mark = s.kind === "step" ? "" : s.kind === "handler" ? "⚑ " : "↺ ";
    out.push(
      `<g class="${cls}" data-i="${i}" data-step="${esc(s.step_id)}"><title>${esc(`${s.name}\n${s.status} · ${s.origin}`)}</title>`,
      `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}"/>`,
      `<text x="${p.x + 6}" y="${p.y + 16}">${esc(mark + clip(s.name, 24))}</text></g>`,
    );
  });
  out.push("</svg>");
  return out.join("");
}

function depths(steps: readonly StepModel[], index: Map<string, number>): number[] {
  const depth: (number | undefined)[] = [];
  const visiting = new Set<number>();
  const of = (i: number): number => {
    const known = depth[i];
    if (known !== undefined) return known;
    if (visiting.has(i)) return 0;
    visiting.add(i);
    let d = 0;
    for (const need of steps[i]!.needs) {
      const j = index.get(need);
      if (j !== undefined) d = Math.max(d, of(j) + 1);
    }
    depth[i] = d;
    return d;
  };
  const result = steps.map((_, i) => of(i));
  const last = Math.max(0, ...result.filter((_, i) => steps[i]!.kind !== "handler")) + 1;
  return result.map((d, i) => (steps[i]!.kind === "handler" ? last : d));
}
