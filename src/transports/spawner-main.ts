/**
 * The spawner's own code: a small long-lived Node process that starts the steps'
 * processes on cairn's behalf, so that each fork() copies this small process instead of
 * cairn's heap, and off cairn's main thread (Node 20's libuv forks synchronously).
 * spawner.ts starts it with `node -e` and this function's source (it must not use
 * anything from outside its own body but Node's globals and `require`).
 *
 * Protocol, over the Node IPC channel (advanced serialization, so Buffers travel as is):
 *   cairn → spawner: {t:"spawn", id, file, args, env, cwd, stdin}, {t:"in", id, d},
 *     {t:"inEnd", id}, {t:"ack", id, s} (an output chunk was consumed)
 *   spawner → cairn: {t:"spawned", id, pid}, {t:"error", id, code, message},
 *     {t:"inOk", id}, {t:"out", id, s, d}, {t:"exit", id, code, signal}, {t:"done", id}
 * Output flows on credit: at most CREDIT chunks of a stream are unacknowledged, then
 * that stream is paused until cairn's consumer caught up, so a slow consumer blocks the
 * process on its pipe instead of filling memory here or in cairn.
 * Each process leads its own process group; cairn signals the group itself (it has the
 * pid). When the channel closes (cairn exited, even by kill -9) the spawner sends
 * SIGTERM to every group it started, SIGKILL a second later, and exits.
 */
export function spawnerMain(drainMs: number): void {
  // `node -e` runs this as CommonJS, where `require` is a global (reached through
  // globalThis, so that a bundler leaves it alone).
  const { spawn } = (globalThis as unknown as { require: NodeJS.Require }).require(
    "node:child_process",
  ) as typeof import("node:child_process");
  const send = (m: unknown) => process.send?.(m);
  const CREDIT = 4;
  interface Job {
    child: import("node:child_process").ChildProcess;
    /** Chunks sent and not yet acknowledged, per stream (1 = stdout, 2 = stderr). */
    unacked: [number, number, number];
    done: boolean;
  }
  const jobs = new Map<number, Job>();
  const kill = (sig: string) => {
    for (const j of jobs.values()) {
      try {
        if (j.child.pid !== undefined) process.kill(-j.child.pid, sig);
      } catch {
        // ESRCH: that group is gone.
      }
    }
  };
  // Terminal signals go to cairn's process group: cairn decides what to cancel.
  process.on("SIGINT", () => {});
  process.on("disconnect", () => {
    if (jobs.size === 0) process.exit(0);
    kill("SIGTERM");
    setTimeout(() => {
      kill("SIGKILL");
      process.exit(0);
    }, 1000);
  });

  const start = (m: {
    id: number;
    file: string;
    args: string[];
    env: Record<string, string> | null;
    cwd: string | null;
    stdin: boolean;
  }) => {
    let child: Job["child"];
    try {
      child = spawn(m.file, m.args, {
        detached: true,
        env: m.env === null ? process.env : { ...process.env, ...m.env },
        stdio: [m.stdin ? "pipe" : "ignore", "pipe", "pipe"],
        ...(m.cwd === null ? {} : { cwd: m.cwd }),
      });
    } catch (e) {
      send({ t: "error", id: m.id, code: null, message: (e as Error).message });
      return;
    }
    const job: Job = { child, unacked: [0, 0, 0], done: false };
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (job.done) return;
      job.done = true;
      if (drainTimer !== undefined) clearTimeout(drainTimer);
      jobs.delete(m.id);
      send({ t: "done", id: m.id });
    };
    for (const [s, stream] of [
      [1, child.stdout],
      [2, child.stderr],
    ] as const) {
      stream?.on("data", (d: Buffer) => {
        send({ t: "out", id: m.id, s, d });
        if (++job.unacked[s] >= CREDIT) stream.pause();
      });
    }
    child.stdin?.on("error", () => {});
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      job.done = true;
      jobs.delete(m.id);
      send({ t: "error", id: m.id, code: e.code ?? null, message: e.message });
    });
    if (child.pid === undefined) return;
    jobs.set(m.id, job);
    send({ t: "spawned", id: m.id, pid: child.pid });
    child.on("exit", (code: number | null, signal: string | null) => {
      send({ t: "exit", id: m.id, code, signal });
      // As the local transport does: give output held by a background grandchild a
      // moment, but wait while cairn has a stream paused (its consumer is slow).
      const stopReading = () => {
        if (job.unacked[1] + job.unacked[2] > 0) {
          drainTimer = setTimeout(stopReading, drainMs);
          return;
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      };
      drainTimer = setTimeout(stopReading, drainMs);
    });
    child.on("close", finish);
  };

  process.on("message", (m: { t: string; id: number; s: 1 | 2; d?: Uint8Array | string }) => {
    if (m.t === "spawn") return start(m as unknown as Parameters<typeof start>[0]);
    const job = jobs.get(m.id);
    if (job === undefined) return;
    const { child } = job;
    if (m.t === "in") child.stdin?.write(m.d, () => send({ t: "inOk", id: m.id }));
    else if (m.t === "inEnd") child.stdin?.end();
    else if (m.t === "ack") {
      const stream = m.s === 1 ? child.stdout : child.stderr;
      if (--job.unacked[m.s] < CREDIT) stream?.resume();
    }
  });
}
