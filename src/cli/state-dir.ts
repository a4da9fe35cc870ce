/**
 * Where runs are kept: `--state-dir`, else `CAIRN_STATE_DIR`, else `.cairn` in the
 * current directory (as Terraform keeps `.terraform` where it is run).
 */
import { openStore as storeAt } from "../api/durable.js";
import type { FileStore } from "../journal/file-store.js";

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
