/**
 * Channels on one SSH connection: a FIFO limiter that keeps the number of open
 * sessions below sshd's MaxSessions (10 by default, and an SFTP session counts), and
 * opening an exec channel so that the server's "open failed" (its limit is lower than
 * ours, or other clients share it) waits for one of ours to close and tries again
 * instead of failing the step.
 */
import type { Client, ClientChannel } from "ssh2";

export class ChannelLimiter {
  private inUse = 0;
  private readonly queue: (() => void)[] = [];
  private readonly releaseWaiters: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Resolves with a release function once a slot is free (first come, first served); null if aborted while queued. */
  acquire(signal: AbortSignal): Promise<(() => void) | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.inUse < this.max && this.queue.length === 0) {
      this.inUse++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        this.inUse++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        resolve(null);
      };
      this.queue.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Resolves when any slot is next released (or after `maxWaitMs`, when none is held by others). */
  nextRelease(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxWaitMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.releaseWaiters.push(done);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      for (const w of this.releaseWaiters.splice(0)) w();
      const next = this.queue.shift();
      if (next !== undefined) next();
    };
  }
}

const OPEN_FAILURE = /Channel open failure/;

/** The server refused a channel; other errors (connection gone) are not retried. */
export function isOpenFailure(e: unknown): boolean {
  return e instanceof Error && OPEN_FAILURE.test(e.message);
}

/**
 * Opens an exec channel, waiting and retrying while the server refuses new channels.
 * Gives up after `attempts` refusals, or at once when `signal` aborts (returns null).
 */
export async function openExec(
  client: Client,
  command: string,
  limiter: ChannelLimiter,
  signal: AbortSignal,
  attempts = 40,
): Promise<ClientChannel | null> {
  for (let i = 1; ; i++) {
    try {
      return await execOnce(client, command);
    } catch (e) {
      if (!isOpenFailure(e) || i >= attempts) throw e;
    }
    if (signal.aborted) return null;
    // Some channel of ours closing frees a server slot; without one, back off a little.
    await limiter.nextRelease(Math.min(50 * i, 500));
    if (signal.aborted) return null;
  }
}

function execOnce(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
    } catch (e) {
      reject(e);
    }
  });
}
