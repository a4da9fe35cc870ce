/** Runs one argv for an action that drives a system tool (`package`, `service`), with its exec settings. */
import { HeadTailCapture } from "../transports/capture.js";
import type { ProcessResult } from "../transports/transport.js";
import type { ActionContext } from "./types.js";

export interface ToolRun extends ProcessResult {
  argv: string[];
  /** What the tool wrote, kept up to TOOL_OUTPUT_LIMIT per stream (head and tail). */
  stdout: string;
  stderr: string;
}

/** A package manager's listing can be long; its head and tail are what parsing and errors need. */
const TOOL_OUTPUT_LIMIT = 4 * 1024 * 1024;

/** `stream`: pass output lines on to the step's output (the long-running commands). */
export async function runArgv(
  ctx: ActionContext,
  argv: string[],
  env: Record<string, string>,
  stream: boolean,
): Promise<ToolRun> {
  const out = new HeadTailCapture(TOOL_OUTPUT_LIMIT);
  const err = new HeadTailCapture(TOOL_OUTPUT_LIMIT);
  const r = await ctx.transport.run({
    command: { argv },
    env: { ...ctx.exec.env, ...env },
    cwd: ctx.exec.cwd,
    stdin: null,
    become: ctx.exec.become,
    becomeUser: ctx.exec.become_user,
    signal: ctx.signal,
    onOutput: (s, chunk) => {
      (s === "stdout" ? out : err).push(chunk);
      return stream ? ctx.output.write(s, chunk) : undefined;
    },
  });
  return { ...r, argv, stdout: out.text(), stderr: err.text() };
}

/** Why a tool run failed, in one line: its exit, and the last lines it wrote on stderr. */
export function whyFailed(r: ToolRun): string {
  if (r.spawnError !== null) return r.spawnError;
  if (r.aborted) return "killed (timeout or cancel)";
  const tail = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join(" / ");
  const end = r.rc === null ? `killed by signal ${r.signal}` : `exit ${r.rc}`;
  return `\`${r.argv.join(" ")}\` failed (${end})${tail === "" ? "" : `: ${tail}`}`;
}
