/**
 * `cairn apply <plan.json>`: execute exactly a saved plan (`cairn plan -o`), as a
 * journaled run, after checking it is not stale: its digest matches its content,
 * its format is one this cairn reads, and its sources and facts are unchanged.
 * Relative paths in the plan are relative to the directory of the plan file's
 * playbook, which `cairn plan -o` records as `root`; apply takes it to be the
 * directory holding the plan file, or else the current directory, whichever holds the
 * plan's root playbook, unless `--root-dir` says otherwise.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { newRunId } from "../../driver/index.js";
import { EXIT } from "../exit.js";
import { executeRun } from "../journaled-run.js";
import { readPlanFile } from "../plan-file.js";
import { type RunFlags, runSettings } from "../run-settings.js";
import { staleReasons } from "../../api/stale.js";
import { openStore } from "../state-dir.js";
import { startRun } from "./run.js";

export async function applyCommand(
  planPath: string,
  flags: RunFlags & { rootDir?: string },
): Promise<number> {
  const settings = runSettings(flags);
  if (typeof settings === "string") {
    process.stderr.write(`error: ${settings}\n`);
    return EXIT.invalid;
  }
  const read = readPlanFile(planPath);
  if (!read.ok) {
    process.stderr.write(`error: ${read.message}\n`);
    return EXIT.invalid;
  }
  const rootDir = resolve(flags.rootDir ?? guessRoot(planPath, read.plan.root));
  const stale = staleReasons(read.plan, rootDir);
  if (stale.length > 0) {
    process.stderr.write(
      `error: the plan ${planPath} is stale\n${stale.map((r) => `  ${r}\n`).join("")}hint: make a new plan with \`cairn plan ${read.plan.root} -o ${planPath}\` and review it\n`,
    );
    return EXIT.invalid;
  }
  const input = { plan: read.plan, rootDir, playbook: planPath };
  if (settings.dryRun) return executeRun({ ...input, run: null }, settings);
  return startRun(openStore(flags), { ...input, runId: flags.runId ?? newRunId() }, settings);
}

function guessRoot(planPath: string, root: string): string {
  const candidates = [dirname(planPath), process.cwd()];
  return candidates.find((dir) => existsSync(join(dir, root))) ?? candidates[0]!;
}
