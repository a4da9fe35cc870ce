/**
 * `cairn replay <run_id> | --last`: check that the engine, fed the journal's inputs,
 * issues exactly the recorded commands. Exit 0 when it does; 1 on a divergence,
 * naming the first record where history and engine differ; 2 when the run cannot
 * be read.
 */
import { replay } from "../../journal/replay.js";
import { EXIT } from "../exit.js";
import { readPickedRun, type StateDirFlags } from "../state-dir.js";

export function replayCommand(
  id: string | undefined,
  flags: StateDirFlags & { last?: boolean },
): number {
  const read = readPickedRun(id, flags);
  if (typeof read === "number") return read;
  const { runId } = read;
  const r = replay(read.plan, read.records);
  if (r.ok) {
    process.stdout.write(
      `replay of ${runId}: the engine issued the recorded commands for all ${r.inputs} inputs (${r.segments} segment${r.segments === 1 ? "" : "s"})\n`,
    );
    return EXIT.ok;
  }
  const show = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));
  process.stderr.write(
    `replay of ${runId} diverged at record seq ${r.seq}\n  recorded: ${show(r.recorded)}\n  engine now: ${show(r.replayed)}\n`,
  );
  if (r.engineVersions !== null)
    process.stderr.write(
      `  the run was recorded by engine version ${r.engineVersions.recorded}; this cairn has engine version ${r.engineVersions.now}\n`,
    );
  return EXIT.failed;
}
