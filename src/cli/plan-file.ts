/**
 * Reading a saved plan (`cairn plan -o`): JSON of the plan format. A plan from a newer
 * format_version is refused with a clear message (SPEC §2.4).
 */
import { readFileSync } from "node:fs";
import { PLAN_FORMAT_VERSION, type Plan } from "../model/plan.js";

export type PlanFileResult = { ok: true; plan: Plan } | { ok: false; message: string };

export function readPlanFile(path: string): PlanFileResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { ok: false, message: `cannot read plan '${path}' (${why})` };
  }
  const v = value as Partial<Plan> | null;
  if (
    v === null ||
    typeof v !== "object" ||
    typeof v.format_version !== "number" ||
    !Array.isArray(v.steps)
  ) {
    return { ok: false, message: `'${path}' is not a cairn plan (no format_version or steps)` };
  }
  if (v.format_version > PLAN_FORMAT_VERSION) {
    return {
      ok: false,
      message: `'${path}' is a plan of format ${v.format_version}; this cairn reads format ${PLAN_FORMAT_VERSION} (upgrade cairn)`,
    };
  }
  return { ok: true, plan: v as Plan };
}
