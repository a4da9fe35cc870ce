/**
 * `wait`: polls until a condition holds — `file_exists: path` (or mooncake's
 * `file: {path, contains}`), `port: N` (with `host`), `http: url` (or `{url, status,
 * contains}`), `command: cmd` — within `timeout` (default 60s), every `interval`
 * (default 1s). Never changes anything; check mode does not wait.
 */
import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { ArgError, optDurationMs, optNumber, optRecord, optString } from "./args.js";
import { failedWith, succeeded } from "./outcome.js";
import { targetPath } from "./paths.js";
import { runShellQuietly } from "./quiet-command.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import type { TargetFs } from "../transports/fs.js";

/** A condition to poll; `signal` bounds one try (the time left, or a cancel). */
type Probe = { what: string; test: (signal: AbortSignal) => Promise<boolean> };

export const wait: ActionHandler = {
  name: "wait",
  runsProcess: true,
  check: async (ctx) =>
    succeeded(false, { msg: `would wait for ${(await probeOf(ctx)).what} (check mode)` }),
  apply: runWait,
};

/**
 * Tries at once, then every `interval`, until `timeout` has passed since the start.
 * A try that itself takes long (a slow command, a silent port) is cut off at the
 * deadline, and the last try happens at the deadline, not an interval before it.
 */
async function runWait(ctx: ActionContext): Promise<ActionOutcome> {
  const probe = await probeOf(ctx);
  const timeoutMs = optDurationMs(ctx.args, "timeout") ?? 60_000;
  const intervalMs =
    optDurationMs(ctx.args, "interval") ?? optDurationMs(ctx.args, "poll_interval") ?? 1000;
  const started = Date.now();
  const deadline = started + timeoutMs;
  const cancelled = () => failedWith("killed", `cancelled while waiting for ${probe.what}`);
  for (;;) {
    const left = Math.max(1, deadline - Date.now());
    const ok = await probe.test(AbortSignal.any([ctx.signal, AbortSignal.timeout(left)]));
    if (ok) return succeeded(false, { elapsed_ms: Date.now() - started });
    if (ctx.signal.aborted) return cancelled();
    const now = Date.now();
    if (now >= deadline) {
      return failedWith("timeout", `timed out after ${timeoutMs} ms waiting for ${probe.what}`);
    }
    try {
      await delay(Math.min(intervalMs, deadline - now), undefined, { signal: ctx.signal });
    } catch {
      return cancelled();
    }
  }
}

async function probeOf(ctx: ActionContext): Promise<Probe> {
  const a = ctx.args;
  const path = optString(a, "file_exists") ?? optString(a, "path");
  if (path !== null) return fileProbe(ctx.fs, await targetPath(ctx, path), null);
  const file = optRecord(a, "file");
  if (file !== null) {
    const p = optString(file, "path");
    if (p === null) throw new ArgError("'file.path' is required");
    return fileProbe(ctx.fs, await targetPath(ctx, p), optString(file, "contains"));
  }
  const port = optNumber(a, "port");
  if (port !== null) return portProbe(optString(a, "host") ?? "localhost", port);
  if (a.http !== undefined) return httpProbe(ctx);
  const cmd = optString(a, "command");
  if (cmd !== null)
    return {
      what: `command '${cmd}'`,
      test: async (signal) => (await runShellQuietly({ ...ctx, signal }, cmd)) === 0,
    };
  throw new ArgError("one of 'file_exists', 'file', 'port', 'http' or 'command' is required");
}

function fileProbe(fs: TargetFs, path: string, contains: string | null): Probe {
  return {
    what: contains === null ? path : `'${contains}' in ${path}`,
    test: async () => {
      if ((await fs.lstat(path)) === null) return false;
      return contains === null || (await fs.readFile(path)).toString("utf8").includes(contains);
    },
  };
}

function portProbe(host: string, port: number): Probe {
  return {
    what: `${host}:${port}`,
    test: (signal) =>
      new Promise((resolve) => {
        const sock = connect({ host, port, timeout: 2000 });
        const done = (ok: boolean) => {
          signal.removeEventListener("abort", onAbort);
          sock.destroy();
          resolve(ok);
        };
        const onAbort = () => done(false);
        signal.addEventListener("abort", onAbort, { once: true });
        sock.once("connect", () => done(true));
        sock.once("error", () => done(false));
        sock.once("timeout", () => done(false));
      }),
  };
}

function httpProbe(ctx: ActionContext): Probe {
  const spec =
    typeof ctx.args.http === "string"
      ? { url: ctx.args.http }
      : (optRecord(ctx.args, "http") ?? {});
  const url = optString(spec, "url");
  if (url === null) throw new ArgError("'http.url' is required");
  const status = optNumber(spec, "status") ?? 200;
  const contains = optString(spec, "contains") ?? optString(spec, "body_contains");
  return {
    what: url,
    test: async (signal) => {
      try {
        const res = await fetch(url, {
          signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]),
        });
        if (res.status !== status) return false;
        return contains === null || (await res.text()).includes(contains);
      } catch {
        return false;
      }
    },
  };
}
