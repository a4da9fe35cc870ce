/** `cairn diff <old-plan.json> <new-plan.json|playbook>`: what changed between two plans. */
import type { Plan } from "../../model/plan.js";
import { diffPlans, formatPlanDiff } from "../../report/plan-diff.js";
import { EXIT, useColor } from "../exit.js";
import { readPlanFile } from "../plan-file.js";
import { type PlanFlags, planFromFlags } from "../plan-input.js";

async function planOf(input: string, flags: PlanFlags): Promise<Plan | number> {
  if (input.endsWith(".json")) {
    const r = readPlanFile(input);
    if (r.ok) return r.plan;
    process.stderr.write(`error: ${r.message}\n`);
    return EXIT.invalid;
  }
  const loaded = await planFromFlags(input, flags);
  return typeof loaded === "number" ? loaded : loaded.plan;
}

export async function diffCommand(
  before: string,
  after: string,
  flags: PlanFlags,
): Promise<number> {
  const a = await planOf(before, flags);
  if (typeof a === "number") return a;
  const b = await planOf(after, flags);
  if (typeof b === "number") return b;
  process.stdout.write(formatPlanDiff(diffPlans(a, b), { color: useColor(process.stdout) }));
  return EXIT.ok;
}
