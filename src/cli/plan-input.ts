/** The flags shared by `plan`, `run` and `graph`: vars, tags; and turning them into a Plan. */
import { dirname, resolve } from "node:path";
import { type LoadedPlaybook, loadPlaybook } from "../api/load-playbook.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { reportDiagnostics } from "./exit.js";
import { sourceReader } from "./sources.js";
import { collectVars } from "./vars.js";

export interface PlanFlags {
  varsFile: string[];
  var: string[];
  tags?: string;
  skipTags?: string;
}

export function splitList(v: string | undefined): string[] {
  return v === undefined
    ? []
    : v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/** Compiles the playbook; on user errors prints them and returns the exit code instead. */
export async function planFromFlags(
  playbook: string,
  flags: PlanFlags,
): Promise<LoadedPlaybook | number> {
  const vars = collectVars(flags.varsFile, flags.var);
  if (!vars.ok) return reportDiagnostics(vars.error, sourceReader(process.cwd()));
  const warnings: Diagnostic[] = [];
  const loaded = loadPlaybook(playbook, {
    onWarning: (w) => warnings.push(w),
    vars: vars.value,
    tags: splitList(flags.tags),
    skipTags: splitList(flags.skipTags),
  });
  const sources = sourceReader(dirname(resolve(playbook)));
  if (warnings.length > 0) await reportDiagnostics(warnings, sources);
  if (!loaded.ok) return reportDiagnostics(loaded.error, sources);
  return loaded.value;
}
