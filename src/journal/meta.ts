/**
 * `meta.json`: a run's summary, rewritten atomically at start and end of every
 * segment, so that `cairn runs` lists a thousand runs without reading a journal.
 */
import type { RunOutcome, RunStats } from "../model/engine.js";

export interface RunMeta {
  run_id: string;
  /** The playbook or saved plan the run came from, as the user named it. */
  playbook: string;
  /** Absolute directory of the root playbook: the plan's paths are relative to it. */
  root_dir: string;
  plan_digest: string;
  started: string;
  ended: string | null;
  /** `running` until a segment ends; `crashed` is derived when the writer is gone. */
  outcome: RunOutcome | "running";
  stats: RunStats | null;
  duration_ms: number | null;
  segments: number;
  /** Steps run again after an interruption, over all resumes. */
  reran: string[];
  dry_run: boolean;
}

export type ListedOutcome = RunMeta["outcome"] | "crashed";
