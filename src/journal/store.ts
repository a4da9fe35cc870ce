/**
 * Where runs are kept. `Store` is the seam that lets a database replace the files
 * later; `FileStore` (file-store.ts) is the implementation: `<state-dir>/runs/<run_id>/`
 * with `plan.json`, `events.jsonl`, `meta.json`, `lock` and `output/`.
 */
import type { Plan } from "../model/plan.js";
import type { RunMeta } from "./meta.js";
import type { JournalRecord, JournalSink } from "./records.js";

/** A run opened for writing: its lock is held until `close`. */
export interface OpenRun {
  readonly runId: string;
  /** Where full step output files go. */
  readonly outputDir: string;
  readonly journal: JournalSink;
  /** Records read back when the run was reopened (empty for a new run). */
  readonly records: JournalRecord[];
  readonly plan: Plan;
  meta: RunMeta;
  /** A warning to show (a crashed holder's lock was taken over, a torn tail was cut). */
  readonly warnings: string[];
  saveMeta(meta: RunMeta): void;
  /** Syncs the journal, closes it and releases the lock. */
  close(): Promise<void>;
}

export type StoreResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Store {
  exists(runId: string): boolean;
  create(runId: string, plan: Plan, meta: RunMeta): StoreResult<OpenRun>;
  /** Takes the lock, reads the journal back (cutting a torn tail) and opens it for appending. */
  reopen(runId: string): StoreResult<OpenRun>;
  /** Newest first. */
  list(): RunMeta[];
  /** Whether the run's writer is alive (its lock is held by a live process). */
  isLive(runId: string): boolean;
  read(runId: string): StoreResult<{ meta: RunMeta; plan: Plan; records: JournalRecord[] }>;
  remove(runId: string): void;
}
