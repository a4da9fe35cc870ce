/**
 * `cairn run <playbook>`: plan, then execute as a journaled run in the state
 * directory. `--run-id ID` names the run; if ID exists already, the run resumes it
 * (a job queue's redelivery is a resume). A dry run is not journaled: it changes
 * nothing, so there is nothing to resume or audit; `--no-journal` opts out for a run
 * that will never be resumed.
 */
import { newRunId } from "../../driver/index.js";
import { EXIT } from "../exit.js";
import { newRunMeta } from "../../api/durable.js";
import type { FileStore } from "../../journal/file-store.js";
import { executeRun, type RunInput, type RunSettings } from "../journaled-run.js";
import { type PlanFlags, planFromFlags } from "../plan-input.js";
import { type RunFlags, runSettings } from "../run-settings.js";
import { openStore } from "../state-dir.js";
import { resumeRun } from "./resume.js";

export type { RunFlags } from "../run-settings.js";

export async function runCommand(playbook: string, flags: RunFlags & PlanFlags): Promise<number> {
  const settings = runSettings(flags);
  if (typeof settings === "string") {
    process.stderr.write(`error: ${settings}\n`);
    return EXIT.invalid;
  }
  const store = openStore(flags);
  if (flags.runId !== undefined && !settings.dryRun && store.exists(flags.runId))
    return resumeRun(store, flags.runId, settings);
  const loaded = await planFromFlags(playbook, flags);
  if (typeof loaded === "number") return loaded;
  const input = {
    plan: loaded.plan,
    rootDir: loaded.rootDir,
    playbook,
    remotes: loaded.remotes,
    excluded: loaded.excluded.map((x) => x.host),
  };
  if (settings.dryRun || flags.journal === false)
    return executeRun({ ...input, run: null }, settings);
  return startRun(store, { ...input, runId: flags.runId ?? newRunId() }, settings);
}

/** Creates the run in the store and executes it (shared with `apply`). */
export async function startRun(
  store: FileStore,
  input: Omit<RunInput, "run"> & { runId: string },
  settings: RunSettings,
): Promise<number> {
  const meta = newRunMeta(input.runId, input.plan, input.rootDir, input.playbook);
  const run = store.create(input.runId, input.plan, meta);
  if (!run.ok) {
    process.stderr.write(`error: ${run.message}\n`);
    return EXIT.invalid;
  }
  return executeRun({ ...input, run: run.value }, settings);
}
