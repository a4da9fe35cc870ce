/** `command`: runs `argv` (or `cmd` split shell-style) directly, with no shell. */
import { ArgError, optString } from "./args.js";
import { runForAction, wouldRun } from "./run-process.js";
import type { ActionContext, ActionHandler } from "./types.js";
import { splitWords } from "./words.js";

export const command: ActionHandler = {
  name: "command",
  runsProcess: true,
  check: async (ctx) => wouldRun(argvOf(ctx)),
  apply: async (ctx) => {
    const argv = argvOf(ctx);
    return runForAction(ctx, { argv }, optString(ctx.args, "stdin"), argv);
  },
};

function argvOf(ctx: ActionContext): string[] {
  const argv = ctx.args.argv;
  if (argv !== undefined) {
    if (!Array.isArray(argv) || argv.length === 0)
      throw new ArgError("'argv' must be a non-empty list");
    return argv.map((a) => (typeof a === "string" ? a : JSON.stringify(a)));
  }
  const cmd = optString(ctx.args, "cmd");
  if (cmd === null) throw new ArgError("'argv' or 'cmd' is required");
  const words = splitWords(cmd);
  if (!words.ok) throw new ArgError(`cannot split 'cmd': ${words.error}`);
  if (words.value.length === 0) throw new ArgError("'cmd' is empty");
  return words.value;
}
