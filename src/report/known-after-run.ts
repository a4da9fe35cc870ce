/**
 * Which steps of a plan a dry run can only predict as "known after run" (SPEC §3.4),
 * read from the plan alone so that `cairn plan` shows the unknowns before any dry
 * run: a step that waits for a value registered by a process step the dry run does
 * not run (no `check_mode: false`), or by another such step; a step with an `unless`
 * command; a process step whose `changed_when` reads its own result.
 */
import type { Plan, PlanStep } from "../model/plan.js";

/** Actions whose check does not run anything, so their result is unknown in a dry run. */
const PROCESS_ACTIONS = new Set(["shell", "command"]);

/** Step id → why it is known only after a real run. */
export function knownAfterRun(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  /** Registered name → the step whose run makes it known. */
  const unknownNames = new Map<string, string>();
  for (const step of [...plan.steps, ...plan.handlers].sort((a, b) => a.seq - b.seq)) {
    const reason = reasonFor(step, unknownNames);
    if (reason !== null) out.set(step.id, reason);
    if (step.register === null) continue;
    const notRun = PROCESS_ACTIONS.has(step.action) && step.check_mode !== false;
    if (notRun) unknownNames.set(step.register, step.name);
    else if (reason !== null) {
      // Unknown because it read another unknown value: known once that value's producer runs.
      const cause = firstRead(step, unknownNames);
      unknownNames.set(step.register, cause === undefined ? step.name : unknownNames.get(cause)!);
    } else unknownNames.delete(step.register);
  }
  return out;
}

function reads(step: PlanStep): string[] {
  return Object.values(step.deferred).flatMap((d) => d.needs);
}

function mentions(expr: string | null, name: string): boolean {
  return expr !== null && new RegExp(`(^|[^\\w.])${name}\\b`).test(expr);
}

function firstRead(step: PlanStep, unknown: Map<string, string>): string | undefined {
  return [...unknown.keys()].find((n) => reads(step).includes(n) || mentions(step.when, n));
}

function reasonFor(step: PlanStep, unknown: Map<string, string>): string | null {
  if (step.check_mode === false) return null;
  const name = firstRead(step, unknown);
  if (name !== undefined) return `known after '${unknown.get(name)}' runs (it reads ${name})`;
  if (step.unless !== null) return "known after run (a dry run does not run its unless command)";
  if (PROCESS_ACTIONS.has(step.action) && mentions(step.changed_when, "result"))
    return "known after run (changed_when reads its result)";
  return null;
}
