/**
 * `cairn runs [--json] [--limit N]`: the run history, newest first, from each run's
 * `meta.json` (never a whole journal). A run marked running whose writer is gone is
 * shown as `crashed`. `cairn runs prune --keep N | --older-than 30d` deletes old runs
 * (never a live one).
 */
import { listRuns } from "../../api/durable.js";
import type { ListedOutcome, RunMeta } from "../../journal/meta.js";
import { parseDuration } from "../../schema/index.js";
import { EXIT } from "../exit.js";
import { openStore, type StateDirFlags } from "../state-dir.js";

type Listed = Omit<RunMeta, "outcome"> & { outcome: ListedOutcome };

export function runsCommand(flags: StateDirFlags & { json?: boolean; limit?: string }): number {
  const store = openStore(flags);
  const limit = flags.limit === undefined ? Number.POSITIVE_INFINITY : Number(flags.limit);
  if (!(limit > 0)) {
    process.stderr.write(`error: --limit must be a positive number, got '${flags.limit}'\n`);
    return EXIT.invalid;
  }
  const runs: Listed[] = listRuns({ stateDir: store.stateDir }).slice(0, limit);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify(runs)}\n`);
    return EXIT.ok;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${store.runsDir}\n`);
    return EXIT.ok;
  }
  const rows = runs.map((m) => [
    m.run_id,
    m.outcome,
    m.started.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    m.duration_ms === null ? "-" : `${(m.duration_ms / 1000).toFixed(1)}s`,
    m.playbook,
  ]);
  const head = ["RUN", "OUTCOME", "STARTED", "DURATION", "PLAYBOOK"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows])
    process.stdout.write(
      `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`,
    );
  return EXIT.ok;
}

export function pruneCommand(flags: StateDirFlags & { keep?: string; olderThan?: string }): number {
  const store = openStore(flags);
  if ((flags.keep === undefined) === (flags.olderThan === undefined)) {
    process.stderr.write("error: give one of --keep N or --older-than DURATION (e.g. 30d)\n");
    return EXIT.invalid;
  }
  const runs = store.list();
  let doomed: RunMeta[];
  if (flags.keep !== undefined) {
    const keep = Number(flags.keep);
    if (!Number.isInteger(keep) || keep < 0) {
      process.stderr.write(`error: --keep must be a whole number, got '${flags.keep}'\n`);
      return EXIT.invalid;
    }
    doomed = runs.slice(keep);
  } else {
    const ms = parseDuration(flags.olderThan!);
    if (ms === null) {
      process.stderr.write(
        `error: --older-than takes a duration like 30d or 12h, got '${flags.olderThan}'\n`,
      );
      return EXIT.invalid;
    }
    const cutoff = Date.now() - ms;
    doomed = runs.filter((m) => Date.parse(m.started) < cutoff);
  }
  let removed = 0;
  for (const m of doomed) {
    if (store.isLive(m.run_id)) continue;
    store.remove(m.run_id);
    removed += 1;
  }
  process.stdout.write(
    `removed ${removed} run${removed === 1 ? "" : "s"}, kept ${runs.length - removed}\n`,
  );
  return EXIT.ok;
}
