/**
 * `<run_id> | --last` to the run's model (plan + journal folded), shared by `show`
 * and `report`. A run marked running whose writer is gone is `crashed`.
 */
import { buildRunModel, type RunModel } from "../journal/run-model.js";
import { readPickedRun, type StateDirFlags } from "./state-dir.js";

export function readRunModel(
  id: string | undefined,
  flags: StateDirFlags & { last?: boolean },
): RunModel | number {
  const read = readPickedRun(id, flags);
  if (typeof read === "number") return read;
  const { store, runId, meta, plan, records } = read;
  const outcome = meta.outcome === "running" && !store.isLive(runId) ? "crashed" : meta.outcome;
  return buildRunModel(plan, meta, outcome, records);
}
