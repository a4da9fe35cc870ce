/**
 * The action registry the driver looks actions up in, keyed by action name (with
 * mooncake's `file_replace` as an alias of `replace`). Every handler is guarded: a
 * bad argument or a file-system error becomes a failed outcome, never an exception.
 *
 * Each action's module is imported when a step first checks or applies it, not at start:
 * a playbook of `shell` steps then never loads node:http/https/tls (download, assert's
 * http check), node:zlib (unarchive), node:net (wait) or the package/service code, which
 * was about a fifth of `cairn run`'s start-up. `runsProcess` is known without the module
 * (the driver reads it after the action ran; a test checks it against each module).
 */
import { ArgError } from "./args.js";
import { failedWith } from "./outcome.js";
import { join } from "node:path";
import { resolvePath } from "./paths.js";
import { type QuietContext, runShellQuietly } from "./quiet-command.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

/** An action as the registry knows it before its module is loaded. */
export interface LazyAction {
  readonly name: string;
  readonly runsProcess: boolean;
  load(): Promise<ActionHandler>;
}

const lazy = (name: string, runsProcess: boolean, load: () => Promise<ActionHandler>) => ({
  name,
  runsProcess,
  load,
});

export const LAZY_ACTIONS: readonly LazyAction[] = [
  lazy("shell", true, async () => (await import("./shell.js")).shell),
  lazy("command", true, async () => (await import("./command.js")).command),
  lazy("print", false, async () => (await import("./print.js")).print),
  lazy("assert", true, async () => (await import("./assert.js")).assert),
  lazy("file", false, async () => (await import("./file.js")).file),
  lazy("template", false, async () => (await import("./template.js")).template),
  lazy("copy", false, async () => (await import("./copy.js")).copy),
  lazy("unarchive", false, async () => (await import("./unarchive.js")).unarchive),
  lazy("download", false, async () => (await import("./download.js")).download),
  lazy("replace", false, async () => (await import("./replace.js")).replace),
  lazy("lineinfile", false, async () => (await import("./lineinfile.js")).lineinfile),
  lazy("wait", true, async () => (await import("./wait.js")).wait),
  lazy("package", true, async () => (await import("./package.js")).packageAction),
  lazy("service", true, async () => (await import("./service.js")).service),
];

const byName = new Map(LAZY_ACTIONS.map((a) => [a.name, guarded(loadOnUse(a))]));

export const actions: ReadonlyMap<string, ActionHandler> = new Map([
  ...byName,
  ["file_replace", byName.get("replace") as ActionHandler],
]);

/** A handler that imports the action's module on its first check or apply (once). */
function loadOnUse(a: LazyAction): ActionHandler {
  let loaded: Promise<ActionHandler> | null = null;
  const handler = () => {
    loaded ??= a.load();
    return loaded;
  };
  return {
    name: a.name,
    runsProcess: a.runsProcess,
    check: async (ctx) => (await handler()).check(ctx),
    apply: async (ctx) => (await handler()).apply(ctx),
  };
}

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
