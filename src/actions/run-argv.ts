/** Runs one argv for an action that drives a system tool (`package`, `service`), with its exec settings. */
import type { ProcessResult } from "../transports/transport.js";
import type { ActionContext } from "./types.js";

export interface ToolRun extends ProcessResult {
  argv: string[];
}

/** `stream`: pass output lines on to the step's output (the long-running commands). */
export async function runArgv(
  ctx: ActionContext,
  argv: string[],
  env: Record<string, string>,
  stream: boolean,
): Promise<ToolRun> {
  const r = await ctx.transport.run({
    command: { argv },
    env: { ...ctx.exec.env, ...env },
    cwd: ctx.exec.cwd,
    stdin: null,
    become: ctx.exec.become,
    becomeUser: ctx.exec.become_user,
    signal: ctx.signal,
    onLine: stream ? ctx.onLine : () => {},
  });
  return { ...r, argv };
}

/** Why a tool run failed, in one line: its exit, and the last lines it wrote on stderr. */
export function whyFailed(r: ToolRun): string {
  if (r.spawnError !== null) return r.spawnError;
  if (r.aborted) return "killed (timeout or cancel)";
  const tail = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join(" / ");
  const end = r.rc === null ? `killed by signal ${r.signal}` : `exit ${r.rc}`;
  return `\`${r.argv.join(" ")}\` failed (${end})${tail === "" ? "" : `: ${tail}`}`;
}
