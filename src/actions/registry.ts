/**
 * The action registry the driver looks actions up in, keyed by action name (with
 * mooncake's `file_replace` as an alias of `replace`). Every handler is guarded: a
 * bad argument or a file-system error becomes a failed outcome, never an exception.
 */
import { ArgError } from "./args.js";
import { assert } from "./assert.js";
import { command } from "./command.js";
import { copy } from "./copy.js";
import { download } from "./download.js";
import { file } from "./file.js";
import { lineinfile } from "./lineinfile.js";
import { failedWith } from "./outcome.js";
import { join } from "node:path";
import { resolvePath } from "./paths.js";
import { packageAction } from "./package.js";
import { print } from "./print.js";
import { type QuietContext, runShellQuietly } from "./quiet-command.js";
import { replace } from "./replace.js";
import { service } from "./service.js";
import { shell } from "./shell.js";
import { template } from "./template.js";
import { unarchive } from "./unarchive.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { wait } from "./wait.js";

const handlers = [
  shell,
  command,
  print,
  assert,
  file,
  template,
  copy,
  unarchive,
  download,
  replace,
  lineinfile,
  wait,
  packageAction,
  service,
];

export const actions: ReadonlyMap<string, ActionHandler> = new Map([
  ...handlers.map((h) => [h.name, guarded(h)] as const),
  ["file_replace", guarded(replace)] as const,
]);

/** For `unless:`: runs a shell command quietly with the step's exec settings; its exit code, or null. */
export function runCheckCommand(ctx: QuietContext, cmd: string): Promise<number | null> {
  return runShellQuietly(ctx, cmd);
}

function guarded(h: ActionHandler): ActionHandler {
  const wrap =
    (fn: (ctx: ActionContext) => Promise<ActionOutcome>) =>
    async (ctx: ActionContext): Promise<ActionOutcome> => {
      try {
        return await fn(ctx);
      } catch (e) {
        if (e instanceof ArgError) return failedWith("error", `${h.name}: ${e.message}`);
        // A file operation on the target cut short by the step's timeout or a cancel.
        if (e instanceof Error && (e as NodeJS.ErrnoException).code === "ABORT_ERR") {
          return failedWith("killed", `${h.name}: ${e.message}`);
        }
        // EACCES, ENOSPC, ENOTDIR ...: the machine said no; that is the step's failure, not a bug.
        if (e instanceof Error && (e as NodeJS.ErrnoException).code === "ELOOP") {
          return failedWith("error", loopMessage(ctx, (e as NodeJS.ErrnoException).path));
        }
        if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string") {
          return failedWith("error", `${h.name}: ${e.message}`);
        }
        throw e;
      }
    };
  return { name: h.name, runsProcess: h.runsProcess, check: wrap(h.check), apply: wrap(h.apply) };
}

/** The path args a link loop can sit in, in the order a write resolves them. */
const PATH_ARG_NAMES = ["dest", "path", "src"];

/** `dest a: too many levels of symbolic links`: the arg as the user wrote it, found by the path that looped. */
function loopMessage(ctx: ActionContext, looped: string | undefined): string {
  const why = "too many levels of symbolic links";
  for (const name of PATH_ARG_NAMES) {
    const value = ctx.args[name];
    if (typeof value !== "string" || value === "" || looped === undefined) continue;
    const full = resolvePath(ctx.rootDir, value).replace(/\/+$/, "");
    if (looped === full) return `${name} ${value}: ${why}`;
    // Below it: a copy into a directory, an archive entry.
    if (looped.startsWith(`${full}/`))
      return `${name} ${join(value, looped.slice(full.length))}: ${why}`;
  }
  return `${looped ?? "a path"}: ${why}`;
}
