/**
 * `cairn diff`: what changed between two plans, step by step, matched by id (ids are
 * stable under unrelated edits, SPEC §2.3) — the Terraform habit of reading a change
 * before applying it. Compares what a step does (action, args, when, needs, loop,
 * skipped, policy ...), not its position (`seq`) or its origin line.
 *
 *   + deploy-app            Deploy app (new)
 *   - old-step              Old step (removed)
 *   ~ install-git           args.cmd: "apt-get install git" → "apt-get install -y git"
 */
import { styleText } from "node:util";
import type { Plan, PlanStep } from "../model/plan.js";

export interface StepChange {
  id: string;
  name: string;
  /** Dotted field → [before, after] as JSON text. */
  fields: [string, string, string][];
}

export interface PlanDiff {
  added: PlanStep[];
  removed: PlanStep[];
  changed: StepChange[];
}

const COMPARED = [
  "name",
  "action",
  "args",
  "deferred",
  "when",
  "changed_when",
  "failed_when",
  "creates",
  "unless",
  "register",
  "exec",
  "needs",
  "loop",
  "tags",
  "skipped",
  "policy",
  "block",
  "compensate",
  "notify",
] as const;

export function diffPlans(before: Plan, after: Plan): PlanDiff {
  const all = (p: Plan) => [...p.steps, ...p.handlers];
  const old = new Map(all(before).map((s) => [s.id, s]));
  const neu = new Map(all(after).map((s) => [s.id, s]));
  const changed: StepChange[] = [];
  for (const s of all(after)) {
    const o = old.get(s.id);
    if (o === undefined) continue;
    const fields: [string, string, string][] = [];
    for (const k of COMPARED) fields.push(...leafChanges(k, o[k], s[k]));
    if (fields.length > 0) changed.push({ id: s.id, name: s.name, fields });
  }
  return {
    added: all(after).filter((s) => !old.has(s.id)),
    removed: all(before).filter((s) => !neu.has(s.id)),
    changed,
  };
}

/** The leaves that differ between two JSON values, by dotted path. */
function leafChanges(path: string, a: unknown, b: unknown): [string, string, string][] {
  const plain = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (plain(a) && plain(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
    return keys.flatMap((k) => leafChanges(`${path}.${k}`, ra[k], rb[k]));
  }
  const ja = JSON.stringify(a) ?? "undefined";
  const jb = JSON.stringify(b) ?? "undefined";
  return ja === jb ? [] : [[path, ja, jb]];
}

export function formatPlanDiff(d: PlanDiff, opts: { color: boolean }): string {
  const paint = (style: Parameters<typeof styleText>[0], t: string) =>
    opts.color ? styleText(style, t, { validateStream: false }) : t;
  const lines: string[] = [];
  for (const s of d.added) lines.push(paint("green", `+ ${s.id}`) + `  ${s.name} (new)`);
  for (const s of d.removed) lines.push(paint("red", `- ${s.id}`) + `  ${s.name} (removed)`);
  for (const c of d.changed) {
    lines.push(paint("yellow", `~ ${c.id}`) + `  ${c.name}`);
    for (const [field, a, b] of c.fields) lines.push(`    ${field}: ${a} → ${b}`);
  }
  const n = d.added.length + d.removed.length + d.changed.length;
  lines.push(
    n === 0
      ? "No changes: the plans do the same steps."
      : `${d.added.length} to add, ${d.changed.length} to change, ${d.removed.length} to remove.`,
  );
  return `${lines.join("\n")}\n`;
}
