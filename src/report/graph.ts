/**
 * `cairn graph`: the plan's DAG as Graphviz dot or a Mermaid flowchart. Nodes are
 * steps (label: seq and name; skipped steps dashed), edges are `needs`; handlers and
 * compensation steps appear unconnected, since they run outside the DAG's order.
 */
import type { Plan, PlanStep } from "../model/plan.js";

export type GraphFormat = "dot" | "mermaid";

export function formatGraph(plan: Plan, format: GraphFormat): string {
  const steps = [...plan.steps, ...plan.handlers];
  return format === "dot" ? dot(plan, steps) : mermaid(steps);
}

function label(s: PlanStep): string {
  return `${s.seq}. ${s.name}`;
}

function dot(plan: Plan, steps: PlanStep[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `digraph ${q(plan.root)} {`,
    "  rankdir=TB;",
    '  node [shape=box, fontname="sans-serif"];',
  ];
  for (const s of steps) {
    const style = s.skipped !== null ? ", style=dashed" : "";
    lines.push(`  ${q(s.id)} [label=${q(label(s))}${style}];`);
  }
  for (const s of steps) for (const n of s.needs) lines.push(`  ${q(n)} -> ${q(s.id)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function mermaid(steps: PlanStep[]): string {
  // Mermaid ids must be plain words: number the steps; labels carry the real names.
  const ids = new Map(steps.map((s, i) => [s.id, `s${i + 1}`]));
  const text = (s: string) => s.replace(/"/g, "#quot;");
  const lines = ["flowchart TD"];
  for (const s of steps) lines.push(`  ${ids.get(s.id)}["${text(label(s))}"]`);
  for (const s of steps)
    for (const n of s.needs) lines.push(`  ${ids.get(n)} --> ${ids.get(s.id)}`);
  const skipped = steps.filter((s) => s.skipped !== null).map((s) => ids.get(s.id));
  if (skipped.length > 0) {
    lines.push("  classDef skipped stroke-dasharray: 5 5;");
    lines.push(`  class ${skipped.join(",")} skipped;`);
  }
  return `${lines.join("\n")}\n`;
}
