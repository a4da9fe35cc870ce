/**
 * One step on one exec channel: writes the header (ssh-command.ts) and then the step's
 * stdin with backpressure, hands output on as it comes (pausing the channel, and so the
 * server's window, while a consumer is slow), strips the start-status line from stderr
 * to learn the remote process group, and on abort kills that group (TERM, then KILL
 * after the grace period) through a second channel, besides signalling the session.
 * Like the local transport it resolves once the command exited and its output drained,
 * never waiting on a background child that keeps the channel open.
 */
import type { ClientChannel } from "ssh2";
import { parseStatusLine, type StartStatus, sudoNeedsPassword } from "./ssh-command.js";
import type { ProcessInput, ProcessResult, ProcessSpec } from "./transport.js";

export interface ChannelRunContext {
  token: string;
  header: string;
  /** Written after the header instead of the step's stdin (a long script for `-s`). */
  trailer: string | null;
  /** The host as the user knows it, for messages. */
  hostName: string;
  /** The remote user, for the become hint. */
  user: string;
  killGraceMs: number;
  drainMs: number;
  /** Sends a signal to the remote process group (through another channel); never throws. */
  killGroup(pgid: number, signal: "TERM" | "KILL"): void;
  /** Schedules the KILL that follows a TERM; the transport fires it early when it closes. */
  scheduleKill(pgid: number, afterMs: number): void;
  /** Subscribes to the loss of the connection; returns the unsubscribe. */
  onLost(listener: (why: string) => void): () => void;
}

/** How much of sudo's complaint (stderr before the command started) is kept to explain it. */
const PRE_START_KEEP = 4096;

export function runOnChannel(
  channel: ClientChannel,
  spec: ProcessSpec,
  ctx: ChannelRunContext,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let status: StartStatus | null = null;
    let preStart = Buffer.alloc(0);
    let preStartText = "";
    let rc: number | null = null;
    let sig: string | null = null;
    let exited = false;
    let aborted = false;
    let done = false;
    let paused = 0;
    let drainTimer: NodeJS.Timeout | undefined;
    let abortTimer: NodeJS.Timeout | undefined;

    const deliver = (
      name: "stdout" | "stderr",
      chunk: Buffer,
      source: NodeJS.ReadableStream,
    ): void => {
      if (chunk.length === 0) return;
      const wait = spec.onOutput(name, chunk);
      if (wait === undefined) return;
      source.pause();
      paused++;
      const go = () => {
        paused--;
        source.resume();
      };
      void wait.then(go, go);
    };

    const finish = (extra: Partial<ProcessResult>): void => {
      if (done) return;
      done = true;
      spec.signal.removeEventListener("abort", onAbort);
      unsubscribe();
      clearTimeout(drainTimer);
      clearTimeout(abortTimer);
      if (preStart.length > 0) deliver("stderr", preStart, channel.stderr);
      try {
        channel.close();
      } catch {
        // The connection is gone already.
      }
      resolve({ ...startResult(status, rc, sig, spec, ctx, preStartText), aborted, ...extra });
    };

    const killNow = (pgid: number): void => {
      ctx.killGroup(pgid, "TERM");
      ctx.scheduleKill(pgid, ctx.killGraceMs);
    };
    const onAbort = (): void => {
      aborted = true;
      try {
        channel.signal("TERM");
      } catch {
        // Not every server takes signals; the group kill below does the work.
      }
      if (status !== null) killNow(status.pgid);
      // Should the command not end (a stuck sudo, a lost status line), stop waiting.
      abortTimer = setTimeout(() => finish({}), ctx.killGraceMs + 1000);
    };

    const unsubscribe = ctx.onLost((why) => finish({ rc: null, signal: null, unreachable: why }));

    channel.on("data", (chunk: Buffer) => deliver("stdout", chunk, channel));
    channel.stderr.on("data", (chunk: Buffer) => {
      if (status !== null) return deliver("stderr", chunk, channel.stderr);
      preStart = Buffer.concat([preStart, chunk]);
      // Complete lines before the status line are ordinary stderr (rc files, sudo).
      for (let nl = preStart.indexOf(10); nl >= 0 && status === null; nl = preStart.indexOf(10)) {
        const line = preStart.subarray(0, nl + 1);
        preStart = preStart.subarray(nl + 1);
        status = parseStatusLine(line.toString("utf8"), ctx.token);
        if (status !== null) {
          if (aborted) killNow(status.pgid);
          break;
        }
        if (preStartText.length < PRE_START_KEEP) preStartText += line.toString("utf8");
        deliver("stderr", line, channel.stderr);
      }
      if (status !== null && preStart.length > 0) {
        const rest = preStart;
        preStart = Buffer.alloc(0);
        deliver("stderr", rest, channel.stderr);
      }
    });
    channel.on("exit", (code: number | null, signalName?: string) => {
      exited = true;
      rc = code ?? null;
      // ssh2 names it SIGKILL; the protocol itself says KILL.
      sig = signalName ? (signalName.startsWith("SIG") ? signalName : `SIG${signalName}`) : null;
      // A background child may keep the channel open: give its output a moment, then
      // stop; output still unread because its consumer is slow is not dropped.
      const stopReading = () => {
        if (paused > 0) {
          drainTimer = setTimeout(stopReading, ctx.drainMs);
          return;
        }
        finish({});
      };
      drainTimer = setTimeout(stopReading, ctx.drainMs);
    });
    channel.on("close", () => {
      if (exited || aborted) return finish({});
      // No exit status: the session ended under us; a lost connection is reported first.
      setTimeout(
        () =>
          finish({
            rc: null,
            unreachable: `the connection to ${ctx.hostName} ended before the command did`,
          }),
        50,
      );
    });
    channel.on("error", () => {
      // Reported through 'close'; without a listener it would be thrown.
    });

    spec.signal.addEventListener("abort", onAbort, { once: true });
    void writeInput(channel, ctx.header, ctx.trailer ?? spec.stdin, () => done);
  });
}

/** The result fields decided by how the start went (status line, sudo's answer). */
function startResult(
  status: StartStatus | null,
  rc: number | null,
  sig: string | null,
  spec: ProcessSpec,
  ctx: ChannelRunContext,
  preStartText: string,
): ProcessResult {
  const base = { rc, signal: sig, aborted: false, spawnError: null };
  if (status?.status === "cwd")
    return { ...base, rc: null, spawnError: `working directory does not exist: ${spec.cwd ?? ""}` };
  if (status?.status === "nocmd") {
    const program =
      "argv" in spec.command ? (spec.command.argv[0] ?? "") : spec.command.interpreter;
    return { ...base, rc: null, spawnError: `command not found: ${program}` };
  }
  if (status === null && spec.become && rc !== 0) {
    if (sudoNeedsPassword(preStartText))
      return {
        ...base,
        hint:
          `become needs passwordless sudo on ${ctx.hostName}: add a NOPASSWD rule for ` +
          `${ctx.user} (e.g. "${ctx.user} ALL=(ALL) NOPASSWD: ALL" in /etc/sudoers.d/cairn), ` +
          `or connect as a user that has one`,
      };
    if (rc === 127)
      return { ...base, hint: `become needs sudo on ${ctx.hostName}, which was not found there` };
  }
  return base;
}

/** The header, then the step's stdin, then EOF; waits for the channel to drain. */
async function writeInput(
  channel: ClientChannel,
  header: string,
  stdin: ProcessInput | null,
  stopped: () => boolean,
): Promise<void> {
  const write = async (chunk: Uint8Array | string): Promise<void> => {
    if (channel.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        channel.off("drain", done);
        channel.off("close", done);
        resolve();
      };
      channel.on("drain", done);
      channel.on("close", done);
    });
  };
  try {
    await write(header);
    if (stdin !== null) {
      if (typeof stdin === "string" || stdin instanceof Uint8Array) await write(stdin);
      else {
        for await (const chunk of stdin) {
          if (stopped()) break;
          await write(chunk);
        }
      }
    }
  } catch {
    // A failing source ends the input; the process decides what that means.
  }
  try {
    if (!stopped()) channel.end();
  } catch {
    // Closed already.
  }
}
