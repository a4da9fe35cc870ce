/**
 * A real ActionContext for tests: local transport, a temp root dir, a toy renderer,
 * and the target's files through node:fs or (FILE_SYSTEMS) through shell commands.
 */
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { err, ok } from "../model/result.js";
import { DEFAULT_OUTPUT_LIMIT, StepOutput } from "../driver/output-sink.js";
import type { TargetFs } from "../transports/fs.js";
import { localFs } from "../transports/local-fs.js";
import { localTransport } from "../transports/local.js";
import { shellFs } from "../transports/shell-fs.js";
import { actions } from "./registry.js";
import type { ActionContext, ActionOutcome } from "./types.js";

const created: string[] = [];
process.on("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the test process exits. */
export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "cairn-act-")));
  created.push(dir);
  return dir;
}

/** Replaces `{{ name }}` from vars; `{{ !bad }}` is an error at its offset. */
function toyRender(text: string, vars: Record<string, unknown>) {
  const bad = text.indexOf("{{ !");
  if (bad !== -1) return err({ message: "unexpected '!'", offset: bad + 3 });
  return ok(text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, n: string) => String(vars[n] ?? "")));
}

export function context(args: Record<string, unknown>, over: Partial<ActionContext> = {}) {
  const lines: string[] = [];
  const vars: Record<string, unknown> = { x: 1, empty: "" };
  const ctx: ActionContext = {
    args,
    exec: { env: {}, cwd: null, become: false, become_user: null },
    rootDir: over.rootDir ?? tempDir(),
    transport: localTransport(),
    fs: localFs(),
    signal: new AbortController().signal,
    output: new StepOutput({
      limit: DEFAULT_OUTPUT_LIMIT,
      registerFull: false,
      files: null,
      stepId: "test",
      attempt: 1,
      emit: (s, text) => {
        for (const l of text.split("\n")) lines.push(`${s}:${l}`);
      },
      warn: () => {},
    }),
    renderTemplate: (text, extra) => toyRender(text, { ...vars, ...extra }),
    evaluate: (expr) =>
      expr in vars ? ok(vars[expr]) : err({ message: `undefined '${expr}'`, offset: 0 }),
    truthy: (v) => Boolean(v),
    ...over,
  };
  return { ctx, lines };
}

export async function run(
  action: string,
  args: Record<string, unknown>,
  mode: "check" | "apply" = "apply",
  over: Partial<ActionContext> = {},
): Promise<ActionOutcome> {
  const h = actions.get(action);
  if (h === undefined) throw new Error(`no action ${action}`);
  return h[mode](context(args, over).ctx);
}

/** Both ways to reach a target's files, for file-action tests that must hold for each. */
export const FILE_SYSTEMS: { name: string; fs: () => TargetFs }[] = [
  { name: "localFs", fs: () => localFs() },
  { name: "shellFs(localTransport)", fs: () => shellFs(localTransport()) },
];

/** `run`, with the target's files reached through `fs`. */
export function runOn(fs: () => TargetFs): typeof run {
  return (action, args, mode = "apply", over = {}) =>
    run(action, args, mode, { fs: fs(), ...over });
}
