/** `print`: shows a message; never changes anything, and behaves the same in check mode. */
import { succeeded } from "./outcome.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

async function show(ctx: ActionContext): Promise<ActionOutcome> {
  const msg = ctx.args.msg;
  return succeeded(false, { msg: typeof msg === "string" ? msg : JSON.stringify(msg ?? "") });
}

export const print: ActionHandler = { name: "print", runsProcess: false, check: show, apply: show };
