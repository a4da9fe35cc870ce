/**
 * Where runs are kept: `--state-dir`, else `CAIRN_STATE_DIR`, else `.cairn` in the
 * current directory (as Terraform keeps `.terraform` where it is run).
 */
import { openStore as storeAt } from "../api/durable.js";
import type { FileStore } from "../journal/file-store.js";
import { EXIT } from "./exit.js";

export interface StateDirFlags {
  stateDir?: string;
}

export function openStore(flags: StateDirFlags): FileStore {
  return storeAt(flags.stateDir === undefined ? {} : { stateDir: flags.stateDir });
}

/** `<run_id>` or `--last` (the newest run) to a run id; null when there is none. */
export function pickRun(store: FileStore, id: string | undefined, last: boolean): string | null {
  if (id !== undefined && !last) return id;
  return store.list()[0]?.run_id ?? null;
}

/**
 * `<run_id> | --last` to the run's id and contents (plan, meta, journal); an error is
 * printed here and returned as exit code 2.
 */
export function readPickedRun(id: string | undefined, flags: StateDirFlags & { last?: boolean }) {
  const store = openStore(flags);
  const runId = pickRun(store, id, flags.last === true);
  if (runId === null) {
    process.stderr.write(`error: no runs in ${store.runsDir}\n`);
    return EXIT.invalid;
  }
  const read = store.read(runId);
  if (!read.ok) {
    process.stderr.write(`error: ${read.message}\n`);
    return EXIT.invalid;
  }
  return { store, runId, ...read.value };
}
