/**
 * `cairn resume <run_id> | --last`: continue a run that crashed, failed or was
 * interrupted. Takes the run's lock, refuses a stale plan (naming what changed),
 * stops what the interrupted run left running, then executes the saved plan again:
 * steps that finished well are restored from the journal, not run (see
 * journal/history.ts for exactly which).
 */
import type { FileStore } from "../../journal/file-store.js";
import { EXIT } from "../exit.js";
import { executeRun, type RunSettings } from "../journaled-run.js";
import { type RunFlags, runSettings } from "../run-settings.js";
import { staleReasons } from "../../api/stale.js";
import { openStore, pickRun } from "../state-dir.js";

export async function resumeCommand(
  id: string | undefined,
  flags: RunFlags & { last?: boolean },
): Promise<number> {
  const settings = runSettings(flags);
  if (typeof settings === "string") {
    process.stderr.write(`error: ${settings}\n`);
    return EXIT.invalid;
  }
  if (settings.dryRun) {
    process.stderr.write("error: a resume runs for real; use `cairn run --dry-run` to preview\n");
    return EXIT.invalid;
  }
  const store = openStore(flags);
  const runId = pickRun(store, id, flags.last === true);
  if (runId === null) {
    process.stderr.write(
      id === undefined && flags.last !== true
        ? "error: name a run to resume, or give --last\n"
        : `error: no runs in ${store.runsDir}\n`,
    );
    return EXIT.invalid;
  }
  return resumeRun(store, runId, settings);
}

export async function resumeRun(
  store: FileStore,
  runId: string,
  settings: RunSettings,
): Promise<number> {
  const opened = store.reopen(runId);
  if (!opened.ok) {
    process.stderr.write(`error: ${opened.message}\n`);
    return EXIT.invalid;
  }
  const run = opened.value;
  const stale = staleReasons(run.plan, run.meta.root_dir);
  const problem = run.meta.dry_run
    ? `run ${runId} was a dry run; there is nothing to resume\n`
    : stale.length > 0
      ? `cannot resume run ${runId}: its plan is stale\n${stale.map((r) => `  ${r}\n`).join("")}hint: start a new run with \`cairn run ${run.meta.playbook}\`\n`
      : null;
  if (problem !== null) {
    await run.close();
    process.stderr.write(`error: ${problem}`);
    return EXIT.invalid;
  }
  return executeRun(
    { plan: run.plan, rootDir: run.meta.root_dir, playbook: run.meta.playbook, run },
    settings,
  );
}
