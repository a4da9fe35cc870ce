/** The flags shared by `plan`, `run` and `graph`: vars, tags; and turning them into a Plan. */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type LoadedFleet, loadFleetPlaybook } from "../api/fleet-playbook.js";
import { planConnection } from "../api/plan-connection.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { EXIT, reportDiagnostics } from "./exit.js";
import { relativeToCwd, sourceReader } from "./sources.js";
import { connectTo } from "./targets.js";
import { readSecretsFiles } from "./secrets-file.js";
import { collectVars } from "./vars.js";

export interface PlanFlags {
  varsFile: string[];
  var: string[];
  /** `--secrets-file`: named secret sources (SPEC §1.7). */
  secretsFile?: string[];
  tags?: string;
  skipTags?: string;
  presetsDir?: string[];
  /** `-i`: inventory files (repeatable). */
  inventory?: string[];
  /** `--limit`: an Ansible host pattern. */
  limit?: string;
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
): Promise<LoadedFleet | number> {
  if (!existsSync(playbook)) {
    process.stderr.write(`error: playbook '${playbook}' not found\n`);
    return EXIT.invalid;
  }
  if (isDirectory(playbook)) {
    process.stderr.write(
      `error: '${playbook}' is a directory; give the playbook file (e.g. ${playbook}/site.yml)\n`,
    );
    return EXIT.invalid;
  }
  const vars = collectVars(flags.varsFile, flags.var);
  if (!vars.ok) return reportDiagnostics(vars.error, sourceReader(process.cwd()));
  const secrets = readSecretsFiles(flags.secretsFile ?? [], dirname(resolve(playbook)));
  if (!secrets.ok) return reportDiagnostics(secrets.error, sourceReader(process.cwd()));
  const warnings: Diagnostic[] = [];
  const loaded = await loadFleetPlaybook(playbook, {
    inventories: flags.inventory ?? [],
    ...(flags.limit === undefined ? {} : { limit: flags.limit }),
    connect: (h) => connectTo(h.name, planConnection(h)),
    secrets: secrets.value,
    onWarning: (w) => warnings.push(w),
    vars: vars.value,
    tags: splitList(flags.tags),
    skipTags: splitList(flags.skipTags),
    presetDirs: flags.presetsDir ?? [],
  });
  // The plan's paths are relative to the playbook's directory; the user's are relative
  // to where they ran cairn, so diagnostics are shown that way.
  const rootDir = dirname(resolve(playbook));
  const sources = sourceReader(process.cwd());
  if (warnings.length > 0) await reportDiagnostics(relativeToCwd(warnings, rootDir), sources);
  if (!loaded.ok) return reportDiagnostics(relativeToCwd(loaded.error, rootDir), sources);
  for (const x of loaded.value.excluded)
    process.stderr.write(`error: host ${x.host} is left out: ${x.error}\n`);
  return loaded.value;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
