/** `shell`: runs `cmd` with an interpreter (`sh` unless `bash` or another is asked). */
import { optString, reqString } from "./args.js";
import { bashOnly } from "./bashisms.js";
import { runForAction, wouldRun } from "./run-process.js";
import type { ActionHandler } from "./types.js";

export const shell: ActionHandler = {
  name: "shell",
  runsProcess: true,
  check: async (ctx) => wouldRun(reqString(ctx.args, "cmd")),
  apply: async (ctx) => {
    const cmd = reqString(ctx.args, "cmd");
    const interpreter = optString(ctx.args, "interpreter") ?? "sh";
    const out = await runForAction(
      ctx,
      { shell: cmd, interpreter },
      optString(ctx.args, "stdin"),
      cmd,
    );
    const bash = out.failure?.reason === "rc" && interpreter === "sh" ? bashOnly(cmd) : null;
    if (out.failure === null || bash === null) return out;
    const message = `${out.failure.message}; this looks like bash (${bash}): add 'interpreter: bash'`;
    return {
      ...out,
      failure: { ...out.failure, message },
      result: { ...out.result, msg: message },
    };
  },
};
