/**
 * `assert`: fails the step unless every condition holds. Ansible form `that` (bare
 * expressions, judged by Python truthiness); mooncake forms `command` (exit code),
 * `file` (exists / contains / mode) and `http` (status / body). Check mode evaluates
 * `that` (pure) but runs no command, reads no file and sends no request: earlier
 * steps have not run, so their effects are not there to be checked.
 */
import {
  ArgError,
  optBool,
  optDurationMs,
  optNumber,
  optRecord,
  optString,
  reqString,
  stringList,
} from "./args.js";
import { parseMode, formatMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import { targetPath } from "./paths.js";
import { runShellQuietly } from "./quiet-command.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const assert: ActionHandler = {
  name: "assert",
  runsProcess: true,
  check: (ctx) => runAssert(ctx, true),
  apply: (ctx) => runAssert(ctx, false),
};

const FORMS = ["that", "command", "file", "http"] as const;

async function runAssert(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const form = FORMS.find((f) => ctx.args[f] !== undefined);
  if (form === undefined)
    throw new ArgError("one of 'that', 'command', 'file' or 'http' is required");
  if (form !== "that" && dry) return succeeded(false, { msg: `would check ${form} (check mode)` });
  const problem =
    form === "that"
      ? assertThat(ctx)
      : form === "command"
        ? await assertCommand(ctx)
        : form === "file"
          ? await assertFile(ctx)
          : await assertHttp(ctx);
  if (problem === null) return succeeded(false, { msg: "All assertions passed" });
  return failedWith("error", optString(ctx.args, "msg") ?? problem, { assertion: form });
}

/** Each check returns null when it holds, else a message saying what did not. */
function assertThat(ctx: ActionContext): string | null {
  for (const expr of stringList(ctx.args, "that")) {
    const r = ctx.evaluate(expr);
    if (!r.ok) return `cannot evaluate '${expr}': ${r.error.message}`;
    if (!ctx.truthy(r.value)) return `assertion failed: ${expr}`;
  }
  return null;
}

async function assertCommand(ctx: ActionContext): Promise<string | null> {
  const spec = optRecord(ctx.args, "command") ?? {};
  const cmd = reqString(spec, "cmd");
  const want = optNumber(spec, "exit_code") ?? 0;
  const rc = await runShellQuietly(ctx, cmd);
  return rc === want ? null : `command '${cmd}' exited with ${rc ?? "no code"}, expected ${want}`;
}

async function assertFile(ctx: ActionContext): Promise<string | null> {
  const spec = optRecord(ctx.args, "file") ?? {};
  const path = await targetPath(ctx, reqString(spec, "path"));
  const st = await ctx.fs.lstat(path);
  const exists = optBool(spec, "exists", true);
  if (!exists) return st === null ? null : `${path} exists`;
  if (st === null) return `${path} does not exist`;
  const contains = optString(spec, "contains");
  if (contains !== null && !(await ctx.fs.readFile(path)).toString("utf8").includes(contains)) {
    return `${path} does not contain '${contains}'`;
  }
  const mode = parseMode(spec.mode);
  if (mode !== null && st.mode !== mode) {
    return `${path} has mode ${formatMode(st.mode)}, expected ${formatMode(mode)}`;
  }
  return null;
}

async function assertHttp(ctx: ActionContext): Promise<string | null> {
  const spec = optRecord(ctx.args, "http") ?? {};
  const url = reqString(spec, "url");
  const want = optNumber(spec, "status") ?? 200;
  const timeoutMs = optDurationMs(spec, "timeout") ?? 30_000;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
  let res: Response;
  try {
    res = await fetch(url, {
      method: optString(spec, "method") ?? "GET",
      headers: (optRecord(spec, "headers") ?? {}) as Record<string, string>,
      signal,
      ...(spec.body === undefined ? {} : { body: optString(spec, "body") }),
    });
  } catch (e) {
    return `request to ${url} failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (res.status !== want) return `${url} returned ${res.status}, expected ${want}`;
  const contains = optString(spec, "contains");
  if (contains !== null && !(await res.text()).includes(contains)) {
    return `${url} body does not contain '${contains}'`;
  }
  return null;
}
