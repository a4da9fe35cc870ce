/**
 * The file-backed `Store`: `<state-dir>/runs/<run_id>/{plan.json, events.jsonl,
 * meta.json, lock, output/}`. Run ids sort by start time, so the directory listing
 * is the history in order. `plan.json` is written (and synced) before the first
 * record, so a journal never exists without the plan it folds over.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../model/plan.js";
import { replaceFile } from "./atomic.js";
import { takeLock } from "./lock.js";
import type { RunMeta } from "./meta.js";
import { isAlive, type ProcessIdentity } from "./process-id.js";
import { readJournalFile } from "./reader.js";
import type { JournalRecord } from "./records.js";
import type { OpenRun, Store, StoreResult } from "./store.js";
import { JournalWriter } from "./writer.js";

/** Run ids are made by cairn, but `--run-id` comes from users: keep them to one path segment. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidRunId(id: string): boolean {
  return SAFE_ID.test(id);
}

export class FileStore implements Store {
  readonly runsDir: string;

  constructor(readonly stateDir: string) {
    this.runsDir = join(stateDir, "runs");
  }

  private dir(runId: string): string {
    return join(this.runsDir, runId);
  }

  exists(runId: string): boolean {
    return isValidRunId(runId) && existsSync(join(this.dir(runId), "plan.json"));
  }

  create(runId: string, plan: Plan, meta: RunMeta): StoreResult<OpenRun> {
    if (!isValidRunId(runId)) return { ok: false, message: `invalid run id '${runId}'` };
    const dir = this.dir(runId);
    mkdirSync(join(dir, "output"), { recursive: true });
    const lock = takeLock(dir);
    if (!lock.ok) return lock;
    replaceFile(join(dir, "plan.json"), `${JSON.stringify(plan)}\n`, true);
    return { ok: true, value: this.openRun(runId, plan, meta, [], 0, lock) };
  }

  reopen(runId: string): StoreResult<OpenRun> {
    if (!this.exists(runId)) return { ok: false, message: `no run '${runId}' in ${this.runsDir}` };
    const dir = this.dir(runId);
    const lock = takeLock(dir);
    if (!lock.ok) return lock;
    const read = this.read(runId);
    if (!read.ok) {
      lock.release();
      return read;
    }
    const journal = readJournalFile(join(dir, "events.jsonl"));
    const warnings: string[] = lock.warning === null ? [] : [lock.warning];
    if (journal.ok && journal.torn) {
      truncateSync(join(dir, "events.jsonl"), journal.goodBytes);
      warnings.push("the journal's last record was torn by the crash; it was cut off");
    }
    const { meta, plan, records } = read.value;
    const last = records.length === 0 ? 0 : records[records.length - 1]!.seq;
    const run = this.openRun(runId, plan, meta, records, last, { ...lock, warning: null });
    run.warnings.push(...warnings);
    return { ok: true, value: run };
  }

  private openRun(
    runId: string,
    plan: Plan,
    meta: RunMeta,
    records: JournalRecord[],
    lastSeq: number,
    lock: { release: () => void; warning: string | null },
  ): OpenRun {
    const dir = this.dir(runId);
    const writer = new JournalWriter(join(dir, "events.jsonl"), lastSeq);
    const save = (m: RunMeta) =>
      replaceFile(join(dir, "meta.json"), `${JSON.stringify(m)}\n`, false);
    save(meta);
    // A crash between here and close leaves the lock for the next cairn to take over;
    // a normal exit of the process removes it even if close was never reached.
    const onExit = () => lock.release();
    process.once("exit", onExit);
    const run: OpenRun = {
      runId,
      outputDir: join(dir, "output"),
      journal: writer,
      records,
      plan,
      meta,
      warnings: lock.warning === null ? [] : [lock.warning],
      saveMeta(m) {
        run.meta = m;
        save(m);
      },
      async close() {
        await writer.close();
        process.off("exit", onExit);
        lock.release();
      },
    };
    return run;
  }

  list(): RunMeta[] {
    let ids: string[];
    try {
      ids = readdirSync(this.runsDir);
    } catch {
      return [];
    }
    const metas: RunMeta[] = [];
    for (const id of ids.sort().reverse()) {
      const m = readJson<RunMeta>(join(this.dir(id), "meta.json"));
      if (m !== null) metas.push(m);
    }
    return metas;
  }

  isLive(runId: string): boolean {
    const holder = readJson<ProcessIdentity>(join(this.dir(runId), "lock"));
    return holder !== null && isAlive(holder);
  }

  read(runId: string): StoreResult<{ meta: RunMeta; plan: Plan; records: JournalRecord[] }> {
    if (!this.exists(runId)) return { ok: false, message: `no run '${runId}' in ${this.runsDir}` };
    const dir = this.dir(runId);
    const plan = readJson<Plan>(join(dir, "plan.json"));
    const meta = readJson<RunMeta>(join(dir, "meta.json"));
    if (plan === null || meta === null)
      return { ok: false, message: `run '${runId}' is incomplete (no plan.json or meta.json)` };
    const journal = readJournalFile(join(dir, "events.jsonl"));
    if (!journal.ok) {
      return {
        ok: false,
        message: `${join(dir, "events.jsonl")}:${journal.line}: ${journal.message}`,
      };
    }
    return { ok: true, value: { meta, plan, records: journal.records } };
  }

  remove(runId: string): void {
    if (isValidRunId(runId)) rmSync(this.dir(runId), { recursive: true, force: true });
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return null;
  }
}
