/**
 * Runs a shell command whose output nobody needs (for `unless:`, `assert.command`,
 * `wait.command`) and returns its exit code: null when it could not run or was killed.
 */
import type { ActionContext } from "./types.js";

export type QuietContext = Pick<ActionContext, "transport" | "exec" | "signal">;

export async function runShellQuietly(ctx: QuietContext, cmd: string): Promise<number | null> {
  const r = await ctx.transport.run({
    command: { shell: cmd, interpreter: "sh" },
    env: ctx.exec.env,
    cwd: ctx.exec.cwd,
    stdin: null,
    become: ctx.exec.become,
    becomeUser: ctx.exec.become_user,
    signal: ctx.signal,
    onOutput: () => undefined,
  });
  return r.spawnError !== null || r.aborted ? null : r.rc;
}
