/**
 * The local transport: runs a process on this machine as the leader of its own
 * process group, so that a timeout or cancel kills everything it started (SIGTERM to
 * the group, SIGKILL after a grace period). It resolves when the main process has
 * exited and its output is drained, never waiting on a background grandchild that
 * keeps the pipes open (the reason execa was ruled out, see DESIGN.md §2). Output is
 * handed on chunk by chunk and never held: a consumer that is slow (a full disk, a slow
 * terminal) pauses the reading, so the child blocks on its pipe instead of cairn growing.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { buildInvocation, type Invocation } from "./become.js";
import { groupStopper, killPending, type PendingKills } from "./local-group.js";
import { Spawner } from "./spawner.js";
import type { ProcessInput, ProcessResult, ProcessSpec, Transport } from "./transport.js";

export type { ProcessResult, ProcessSpec, Transport } from "./transport.js";

export interface LocalTransportOptions {
  /** Between SIGTERM and SIGKILL of an aborted process group. @default 2000 */
  killGraceMs?: number;
  /**
   * How long to keep reading output after the main process exited while a
   * background child still holds the pipes. @default 100
   */
  drainMs?: number;
  /** A process group was started (for the journal: a later cairn can stop survivors). */
  onSpawn?: (pid: number, owner: string | null) => void;
  /** The group's leader was reaped. */
  onExit?: (pid: number) => void;
  /**
   * Start processes through a small long-lived child process (spawner.ts) instead of
   * forking cairn itself. @default process.env.CAIRN_SPAWNER === "1"
   */
  spawner?: boolean;
}

/** What every process a local transport starts shares: its settings and its state. */
export interface LocalContext {
  killGraceMs: number;
  drainMs: number;
  pendingKills: PendingKills;
  /** cairn's environment, copied once (see localTransport). */
  baseEnv: NodeJS.ProcessEnv;
  hooks: Pick<LocalTransportOptions, "onSpawn" | "onExit">;
}

export function localTransport(opts: LocalTransportOptions = {}): Transport {
  const ctx: LocalContext = {
    killGraceMs: opts.killGraceMs ?? 2000,
    drainMs: opts.drainMs ?? 100,
    pendingKills: new Map(),
    // Copied once: reading process.env goes through a C++ accessor per variable, and
    // every step's processes add their own variables to it.
    baseEnv: { ...process.env },
    hooks: opts,
  };
  // Started at its first use, so a run without commands pays nothing for it.
  const spawner =
    (opts.spawner ?? process.env.CAIRN_SPAWNER === "1") ? new Spawner(ctx.drainMs) : null;
  return {
    name: "local",
    run: (spec) => (spawner === null ? runLocal(spec, ctx) : spawner.run(spec, prepare(spec), ctx)),
    dispose() {
      // The run is over: groups still waiting for their SIGKILL get it now, so that
      // nothing outlives cairn and cairn need not wait out the grace period.
      killPending(ctx.pendingKills);
      spawner?.close();
    },
  };
}

/** What to start for `spec`: the invocation, its stdin and the environment to add. */
export interface Prepared {
  inv: Invocation;
  stdin: ProcessInput | null;
  /** Variables to add to cairn's environment, or null for cairn's as it is. */
  env: Record<string, string> | null;
}

export function prepare(spec: ProcessSpec): Prepared {
  const inv = buildInvocation(spec, process.getuid?.() ?? null, runuserPath());
  const env = inv.envThroughProcess && Object.keys(spec.env).length > 0 ? spec.env : null;
  return { inv, stdin: inv.stdinScript ?? spec.stdin, env };
}

function runLocal(spec: ProcessSpec, ctx: LocalContext): Promise<ProcessResult> {
  const { baseEnv, killGraceMs, drainMs, pendingKills, hooks } = ctx;
  if (spec.signal.aborted) return Promise.resolve(notStarted(null, true));
  const { inv, stdin, env: added } = prepare(spec);
  const env = added === null ? baseEnv : { ...baseEnv, ...added };

  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(inv.file, inv.args, {
        detached: true,
        env,
        stdio: [stdin === null ? "ignore" : "pipe", "pipe", "pipe"],
        ...(spec.cwd === null ? {} : { cwd: spec.cwd }),
      });
    } catch (e) {
      resolve(notStarted(errorMessage(e), false));
      return;
    }

    /** Streams paused until their consumer caught up. */
    let paused = 0;
    let rc: number | null = null;
    let sig: string | null = null;
    let aborted = false;
    let done = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const group = groupStopper(() => child.pid, spec.env, killGraceMs, pendingKills);
    const onAbort = (): void => {
      aborted = true;
      group.abort();
    };

    const finish = (spawnError: string | null): void => {
      if (done) return;
      done = true;
      spec.signal.removeEventListener("abort", onAbort);
      if (drainTimer !== undefined) clearTimeout(drainTimer);
      // If the group is already empty, the pending SIGKILL has nothing left to do.
      group.settle();
      resolve({
        rc: spawnError === null ? rc : null,
        signal: sig,
        aborted,
        spawnError,
      });
    };

    const read = (name: "stdout" | "stderr") => {
      const stream = child[name];
      stream?.on("data", (chunk: Buffer) => {
        const wait = spec.onOutput(name, chunk);
        if (wait === undefined) return;
        stream.pause();
        paused++;
        const go = () => {
          paused--;
          stream.resume();
        };
        void wait.then(go, go);
      });
    };
    read("stdout");
    read("stderr");
    if (child.stdin) {
      // The child may exit without reading its input; that EPIPE is not our failure.
      child.stdin.on("error", () => {});
      writeInput(child.stdin, stdin ?? "");
    }

    child.on("error", (e) => {
      if (child.pid === undefined) finish(spawnErrorMessage(e, inv.file, spec.cwd));
    });
    if (child.pid !== undefined) hooks.onSpawn?.(child.pid, spec.owner ?? null);
    child.on("exit", (code, signal) => {
      if (child.pid !== undefined) hooks.onExit?.(child.pid);
      rc = code;
      sig = signal;
      // 'close' waits for every holder of the pipes, including background
      // grandchildren; give the remaining output a moment, then stop listening. Output
      // still unread because its consumer is slow is not lost: wait while it is paused.
      const stopReading = () => {
        if (paused > 0) {
          drainTimer = setTimeout(stopReading, drainMs);
          return;
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(null);
      };
      drainTimer = setTimeout(stopReading, drainMs);
    });
    child.on("close", () => finish(null));
    spec.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Text and bytes are written at once; a stream is piped, so it is read as the child reads. */
export function writeInput(sink: NodeJS.WritableStream, input: ProcessInput): void {
  if (typeof input === "string" || input instanceof Uint8Array) {
    sink.end(input);
    return;
  }
  const source = Readable.from(input, { objectMode: false });
  // A failing source or a child that stops reading ends the input; the process decides.
  source.on("error", () => sink.end());
  source.pipe(sink);
}

/** A run that never started: aborted beforehand, or spawn threw synchronously. */
export function notStarted(spawnError: string | null, aborted: boolean): ProcessResult {
  return { rc: null, signal: null, aborted, spawnError };
}

export function spawnErrorMessage(e: Error, file: string, cwd: string | null): string {
  // Node reports a missing cwd as ENOENT of the binary, which misleads; say which it is.
  if (cwd !== null && !existsSync(cwd)) return `working directory does not exist: ${cwd}`;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `command not found: ${file}`;
  if (code === "EACCES") return `permission denied: ${file}`;
  return e.message;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let runuser: string | null | undefined;
/** Where util-linux's runuser is, looked up once (root uses it to become another user). */
function runuserPath(): string | null {
  if (runuser === undefined) {
    runuser =
      ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => existsSync(p)) ?? null;
  }
  return runuser;
}
