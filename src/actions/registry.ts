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
        // EACCES, ENOSPC, ENOTDIR ...: the machine said no; that is the step's failure, not a bug.
        if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string") {
          return failedWith("error", `${h.name}: ${e.message}`);
        }
        throw e;
      }
    };
  return { name: h.name, runsProcess: h.runsProcess, check: wrap(h.check), apply: wrap(h.apply) };
}
