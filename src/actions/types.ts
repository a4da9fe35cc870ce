/**
 * The contract between the driver and an action: what an action gets (ActionContext)
 * and what it gives back (ActionOutcome). Failures are data, never exceptions.
 */
import type { FailureReason } from "../model/engine.js";
import type { Result } from "../model/result.js";
import type { TargetFs } from "../transports/fs.js";
import type { Transport } from "../transports/transport.js";

export interface ActionContext {
  /** Fully rendered args of the plan step (no templates left). */
  args: Record<string, unknown>;
  exec: {
    env: Record<string, string>;
    cwd: string | null;
    become: boolean;
    become_user: string | null;
  };
  /** Absolute dir of the root playbook; relative paths in args are relative to it. */
  rootDir: string;
  transport: Transport;
  /** The target's files (through `transport` when it is not this machine, with the step's become). */
  fs: TargetFs;
  signal: AbortSignal;
  /** Where the output of the step's process goes (live view, output files, the result). */
  output: ProcessOutput;
  /** Renders a Jinja2 template text with the step's variables plus `extraVars` (for `template`). */
  renderTemplate(
    text: string,
    extraVars: Record<string, unknown>,
  ): Result<string, { message: string; offset: number }>;
  /** Evaluates a bare expression with the step's variables (for `assert.that`). */
  evaluate(expr: string): Result<unknown, { message: string; offset: number }>;
  truthy(v: unknown): boolean;
}

/** One stream of a process as the result keeps it. */
export interface CapturedStream {
  /** All of it, or its head and tail around a "bytes cut" line when longer than the limit. */
  text: string;
  /** Every byte the process wrote to it. */
  bytes: number;
  truncated: boolean;
  /** The file holding the whole stream, when one was written. */
  file: string | null;
  /** The whole text read back from `file`, only when it was cut and `register_full` asks for it. */
  full: string | null;
}

export interface CapturedOutput {
  stdout: CapturedStream;
  stderr: CapturedStream;
}

/**
 * The step's output channel: bytes go in as the process writes them, and are shown live
 * (in batches), written to the step's output files and kept up to the step's limit.
 */
export interface ProcessOutput {
  /** Same contract as ProcessSpec.onOutput: a returned promise means "pause until it settles". */
  write(stream: "stdout" | "stderr", chunk: Buffer): undefined | Promise<void>;
  /** The process ended: flush everything and say what the result keeps. Called once. */
  finish(): Promise<CapturedOutput>;
}

export interface ActionFailure {
  reason: FailureReason;
  message: string;
}

export interface ActionOutcome {
  changed: boolean;
  /** null = success; otherwise why it failed. */
  failure: ActionFailure | null;
  /** The registered result, Ansible/mooncake-shaped (rc, stdout, changed, failed, msg, path ...). */
  result: Record<string, unknown>;
  /** Unified diff of file content, when content changes. */
  diff?: string;
  /** What `register` stores when it differs from `result` (the whole output of `register_full`). */
  register?: Record<string, unknown>;
}

export interface ActionHandler {
  readonly name: string;
  /** Dry run: what would change, with a diff; never a side effect. */
  check(ctx: ActionContext): Promise<ActionOutcome>;
  /** Does it (file actions write only when something differs). */
  apply(ctx: ActionContext): Promise<ActionOutcome>;
  /** Whether this action runs a process (so timeout/env/cwd/become apply). */
  readonly runsProcess: boolean;
}
