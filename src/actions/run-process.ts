/**
 * Runs a process for an action through the transport and shapes the registered
 * result as Ansible does (rc, stdout, stderr with trailing newlines stripped, the
 * *_lines lists), mapping how it ended to a failure reason.
 */
import { constants } from "node:os";
import type { ProcessSpec } from "../transports/transport.js";
import { failedWith, succeeded } from "./outcome.js";
import type { ActionContext, ActionOutcome } from "./types.js";

export async function runForAction(
  ctx: ActionContext,
  command: ProcessSpec["command"],
  stdin: string | null,
  shown: unknown,
): Promise<ActionOutcome> {
  const r = await ctx.transport.run({
    command,
    env: ctx.exec.env,
    cwd: ctx.exec.cwd,
    stdin,
    become: ctx.exec.become,
    becomeUser: ctx.exec.become_user,
    signal: ctx.signal,
    onLine: ctx.onLine,
  });
  const stdout = stripTrailingNewlines(r.stdout);
  const stderr = stripTrailingNewlines(r.stderr);
  // Like Python's returncode (what Ansible reports): a signal death is -signum.
  const rc =
    r.rc ?? (r.signal === null ? null : -(constants.signals[r.signal as NodeJS.Signals] ?? 0));
  const result = {
    cmd: shown,
    rc,
    stdout,
    stderr,
    stdout_lines: toLines(stdout),
    stderr_lines: toLines(stderr),
  };
  if (r.spawnError !== null) return failedWith("error", r.spawnError, result);
  if (r.aborted) return failedWith("killed", "killed (timeout or cancel)", result);
  if (r.rc === 0) return succeeded(true, result);
  const why =
    r.rc === null ? `command killed by signal ${r.signal}` : `command exited with code ${r.rc}`;
  return failedWith("rc", why, result);
}

/** Check mode: a process is never run; the prediction is that it would change something. */
export function wouldRun(shown: unknown): ActionOutcome {
  return succeeded(true, { cmd: shown, skipped: true, msg: "would run (check mode)" });
}

function stripTrailingNewlines(s: string): string {
  return s.replace(/[\r\n]+$/, "");
}

function toLines(s: string): string[] {
  return s === "" ? [] : s.split(/\r?\n/);
}
