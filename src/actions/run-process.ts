/**
 * Runs a process for an action through the transport and shapes the result as Ansible
 * does (rc, stdout, stderr with trailing newlines stripped), mapping how it ended to a
 * failure reason. The output streams through `ctx.output`; the result keeps it up to
 * the step's limit (`truncated`, the byte counts and the files holding all of it when
 * cut). The `*_lines` lists are derived when the result is registered (see
 * driver/registered.ts), not stored twice.
 */
import { constants } from "node:os";
import type { ProcessResult, ProcessSpec } from "../transports/transport.js";
import { failedWith, succeeded } from "./outcome.js";
import type { ActionContext, ActionOutcome, CapturedOutput } from "./types.js";

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
    onOutput: (stream, chunk) => ctx.output.write(stream, chunk),
  });
  const out = await ctx.output.finish();
  // Like Python's returncode (what Ansible reports): a signal death is -signum.
  const rc =
    r.rc ?? (r.signal === null ? null : -(constants.signals[r.signal as NodeJS.Signals] ?? 0));
  const result: Record<string, unknown> = {
    cmd: shown,
    rc,
    stdout: stripTrailingNewlines(out.stdout.text),
    stderr: stripTrailingNewlines(out.stderr.text),
    ...cutFields(out),
  };
  const outcome = ended(r, result);
  const full = fullText(out);
  if (full !== null) outcome.register = { ...outcome.result, ...full };
  return outcome;
}

function ended(r: ProcessResult, result: Record<string, unknown>): ActionOutcome {
  if (r.unreachable !== undefined) return failedWith("unreachable", r.unreachable, result);
  if (r.spawnError !== null) return failedWith("error", r.spawnError, result);
  if (r.aborted) return failedWith("killed", "killed (timeout or cancel)", result);
  if (r.rc === 0) return succeeded(true, result);
  const why =
    r.rc === null ? `command killed by signal ${r.signal}` : `command exited with code ${r.rc}`;
  return failedWith("rc", why, result);
}

/** `truncated`, both byte counts and the files of the cut streams; nothing when none was cut. */
function cutFields(out: CapturedOutput): Record<string, unknown> {
  if (!out.stdout.truncated && !out.stderr.truncated) return {};
  const fields: Record<string, unknown> = {
    truncated: true,
    stdout_bytes: out.stdout.bytes,
    stderr_bytes: out.stderr.bytes,
  };
  if (out.stdout.truncated && out.stdout.file !== null) fields.stdout_file = out.stdout.file;
  if (out.stderr.truncated && out.stderr.file !== null) fields.stderr_file = out.stderr.file;
  return fields;
}

/** With `register_full`, the whole text of the cut streams, for the registered value. */
function fullText(out: CapturedOutput): Record<string, unknown> | null {
  if (out.stdout.full === null && out.stderr.full === null) return null;
  const full: Record<string, unknown> = {};
  if (out.stdout.full !== null) full.stdout = stripTrailingNewlines(out.stdout.full);
  if (out.stderr.full !== null) full.stderr = stripTrailingNewlines(out.stderr.full);
  // Everything is there now: the registered value is not a cut one.
  if (out.stdout.full !== null || !out.stdout.truncated)
    if (out.stderr.full !== null || !out.stderr.truncated) full.truncated = false;
  return full;
}

/** Check mode: a process is never run; the prediction is that it would change something. */
export function wouldRun(shown: unknown): ActionOutcome {
  return succeeded(true, { cmd: shown, skipped: true, msg: "would run (check mode)" });
}

function stripTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === "\n" || s[end - 1] === "\r")) end--;
  return end === s.length ? s : s.slice(0, end);
}
