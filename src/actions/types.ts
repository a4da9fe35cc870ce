/**
 * The contract between the driver and an action: what an action gets (ActionContext)
 * and what it gives back (ActionOutcome). Failures are data, never exceptions.
 */
import type { FailureReason } from "../model/engine.js";
import type { Result } from "../model/result.js";
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
  signal: AbortSignal;
  onLine(stream: "stdout" | "stderr", line: string): void;
  /** Renders a Jinja2 template text with the step's variables plus `extraVars` (for `template`). */
  renderTemplate(
    text: string,
    extraVars: Record<string, unknown>,
  ): Result<string, { message: string; offset: number }>;
  /** Evaluates a bare expression with the step's variables (for `assert.that`). */
  evaluate(expr: string): Result<unknown, { message: string; offset: number }>;
  truthy(v: unknown): boolean;
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
