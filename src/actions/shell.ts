/** `shell`: runs `cmd` with an interpreter (`sh` unless `bash` or another is asked). */
import { optString, reqString } from "./args.js";
import { runForAction, wouldRun } from "./run-process.js";
import type { ActionHandler } from "./types.js";

export const shell: ActionHandler = {
  name: "shell",
  runsProcess: true,
  check: async (ctx) => wouldRun(reqString(ctx.args, "cmd")),
  apply: async (ctx) => {
    const cmd = reqString(ctx.args, "cmd");
    const interpreter = optString(ctx.args, "interpreter") ?? "sh";
    return runForAction(ctx, { shell: cmd, interpreter }, optString(ctx.args, "stdin"), cmd);
  },
};
