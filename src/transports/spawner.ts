/**
 * cairn's side of the spawner (spawner-main.ts): one small Node child process per run,
 * started at the first spawn, that starts each step's process in its own process group
 * and streams its output and exit back over the IPC channel. The guarantees are those of
 * the direct spawn in local.ts: cairn signals the group itself (stop on timeout and
 * cancel, local-group.ts), output is handed on chunk by chunk with backpressure (a paused
 * stream is paused in the spawner), stdin streams one chunk in flight at a time, and the
 * spawner kills its groups and exits when cairn goes away, even by kill -9.
 * Off by default (CAIRN_SPAWNER=1 turns it on): measured, it does not win clearly on the
 * sequential or the parallel benchmark; bench/spawner.md has the numbers and why.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { groupStopper } from "./local-group.js";
import {
  errorMessage,
  type LocalContext,
  notStarted,
  type Prepared,
  spawnErrorMessage,
} from "./local.js";
import { spawnerMain } from "./spawner-main.js";
import type { ProcessInput, ProcessResult, ProcessSpec } from "./transport.js";

type Msg =
  | { t: "spawned"; id: number; pid: number }
  | { t: "error"; id: number; code: string | null; message: string }
  | { t: "inOk"; id: number }
  | { t: "out"; id: number; s: 1 | 2; d: Uint8Array }
  | { t: "exit"; id: number; code: number | null; signal: string | null }
  | { t: "done"; id: number };

/** What cairn waits for from one started process. */
type Job = (m: Msg) => void;

export class Spawner {
  private child: ChildProcess | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  constructor(private readonly drainMs: number) {}

  run(spec: ProcessSpec, p: Prepared, ctx: LocalContext): Promise<ProcessResult> {
    const { killGraceMs, pendingKills, hooks } = ctx;
    if (spec.signal.aborted) return Promise.resolve(notStarted(null, true));
    let child: ChildProcess;
    try {
      child = this.started();
    } catch (e) {
      return Promise.resolve(notStarted(errorMessage(e), false));
    }
    const id = this.nextId++;
    const send = (m: object) => child.send({ id, ...m });
    return new Promise((resolve) => {
      let pid: number | undefined;
      let rc: number | null = null;
      let sig: string | null = null;
      let aborted = false;
      let inputOk: (() => void) | null = null;
      let over = false;
      /** Resolves when the last chunk was written to the process; false once it is over. */
      const written = () =>
        over ? Promise.resolve(false) : new Promise<boolean>((r) => (inputOk = () => r(!over)));
      const output = new OutputQueue(spec.onOutput, (s) => send({ t: "ack", s }));
      const group = groupStopper(() => pid, spec.env, killGraceMs, pendingKills);
      const onAbort = () => {
        aborted = true;
        group.abort();
      };
      const end = (spawnError: string | null) => {
        over = true;
        this.jobs.delete(id);
        this.idle();
        spec.signal.removeEventListener("abort", onAbort);
        group.settle();
        inputOk?.();
        resolve({ rc: spawnError === null ? rc : null, signal: sig, aborted, spawnError });
      };
      this.jobs.set(id, (m) => {
        switch (m.t) {
          case "spawned":
            pid = m.pid;
            hooks.onSpawn?.(m.pid, spec.owner ?? null);
            // Cancelled while it was being started: stop it now.
            if (spec.signal.aborted) onAbort();
            else spec.signal.addEventListener("abort", onAbort, { once: true });
            if (p.stdin !== null) void feed(p.stdin, send, written);
            return;
          case "error": {
            // The spawner died under a started process: nothing reports on it any more.
            if (pid !== undefined) group.abort();
            const e = Object.assign(new Error(m.message), { code: m.code ?? undefined });
            return end(spawnErrorMessage(e, p.inv.file, spec.cwd));
          }
          case "inOk": {
            const ok = inputOk;
            inputOk = null;
            return ok?.();
          }
          case "out":
            return output.push(m);
          case "exit":
            if (pid !== undefined) hooks.onExit?.(pid);
            rc = m.code;
            sig = m.signal;
            return;
          case "done":
            // Every chunk has arrived; the result waits until the consumer took them.
            return output.whenDrained(() => end(null));
        }
      });
      this.busy();
      send({
        t: "spawn",
        file: p.inv.file,
        args: p.inv.args,
        env: p.env,
        cwd: spec.cwd,
        stdin: p.stdin !== null,
      });
    });
  }

  /** The run is over: the spawner exits once its channel closes. */
  close(): void {
    this.child?.disconnect();
    this.child = null;
  }

  private started(): ChildProcess {
    if (this.child !== null) return this.child;
    // "cairn-spawner" (an unused argument) names the process in `ps`: the function's own
    // name is minified in the CLI bundle.
    const code = `(${spawnerMain.toString()})(${this.drainMs})`;
    const child = spawn(process.execPath, ["-e", code, "cairn-spawner"], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
      // Its own group: a Ctrl-C at the terminal is cairn's to handle, as for the steps.
      detached: true,
    });
    child.on("message", (m: Msg) => this.jobs.get(m.id)?.(m));
    child.on("exit", () => {
      if (this.child === child) this.child = null;
      // Whatever it was running is lost: report each as not started, or killed.
      for (const [id, job] of this.jobs)
        job({ t: "error", id, code: null, message: "the spawner exited" });
    });
    child.on("error", () => {});
    this.child = child;
    return child;
  }

  /** While processes run, the spawner keeps cairn alive; idle, it does not. */
  private busy(): void {
    this.child?.ref();
    (this.child?.channel as { ref?: () => void } | undefined)?.ref?.();
  }

  private idle(): void {
    if (this.jobs.size > 0) return;
    this.child?.unref();
    (this.child?.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}

/**
 * Hands the chunks on in order, one at a time: the next only once the consumer's
 * promise (if it returned one) settled; each consumed chunk is acknowledged to the
 * spawner, which stops reading a stream that is CREDIT chunks ahead.
 */
class OutputQueue {
  private readonly queue: { s: 1 | 2; d: Uint8Array }[] = [];
  private busy = false;
  private drained: (() => void) | null = null;

  whenDrained(f: () => void): void {
    if (!this.busy) f();
    else this.drained = f;
  }

  constructor(
    private readonly onOutput: ProcessSpec["onOutput"],
    private readonly ack: (s: 1 | 2) => void,
  ) {}

  push(m: { s: 1 | 2; d: Uint8Array }): void {
    this.queue.push(m);
    if (!this.busy) this.next();
  }

  private next(): void {
    for (let m = this.queue.shift(); m !== undefined; m = this.queue.shift()) {
      const chunk = Buffer.isBuffer(m.d)
        ? m.d
        : Buffer.from(m.d.buffer, m.d.byteOffset, m.d.byteLength);
      const wait = this.onOutput(m.s === 1 ? "stdout" : "stderr", chunk);
      const s = m.s;
      if (wait !== undefined) {
        this.busy = true;
        const go = () => {
          this.busy = false;
          this.ack(s);
          this.next();
        };
        void wait.then(go, go);
        return;
      }
      this.ack(s);
    }
    const f = this.drained;
    this.drained = null;
    f?.();
  }
}

/** Sends the input: at once when it is text or bytes, chunk by chunk (one in flight) when a stream. */
async function feed(
  input: ProcessInput,
  send: (m: object) => void,
  written: () => Promise<boolean>,
): Promise<void> {
  if (typeof input === "string" || input instanceof Uint8Array) {
    send({ t: "in", d: input });
  } else {
    try {
      for await (const chunk of input) {
        const ok = written();
        send({ t: "in", d: chunk });
        if (!(await ok)) return;
      }
    } catch {
      // A failing source ends the input; the process decides.
    }
  }
  send({ t: "inEnd" });
}
