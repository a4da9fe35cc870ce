/**
 * The validated, normalized playbook handed to the planner. Every node keeps `path`,
 * its JS path in its document (`[3]`, `["steps", 3, "block", 0]`), so that the planner
 * can call `doc.locate(path)` for origins and errors. Args are the action's fields
 * with short forms expanded and aliases folded; templates are left unrendered.
 */
import type { z } from "zod";
import type { BreakerPolicy, RetryPolicy, SecretSource } from "../model/index.js";
import type {
  ActionKey,
  ActionName,
  assertObject,
  commandObject,
  copyObject,
  downloadObject,
  fileObject,
  lineinfileObject,
  packageObject,
  serviceObject,
  printObject,
  shellObject,
  templateObject,
  unarchiveObject,
  waitObject,
} from "./actions.js";

/** What an action's schema builder's schema outputs. */
type Out<F extends () => z.ZodType> = z.output<ReturnType<F>>;

export type JsPath = (string | number)[];

/** An expression (`when`, `changed_when`, `failed_when`, `assert.that`) and where it is. */
export interface Expr {
  source: string;
  path: JsPath;
}

/** Modes are normalized to strings (`"0644"`); see mode.ts. */
type WithMode<T> = Omit<T, "mode"> & { mode?: string };

export interface ActionArgsMap {
  shell: Out<typeof shellObject>;
  command: Out<typeof commandObject>;
  print: Out<typeof printObject>;
  assert: Omit<Out<typeof assertObject>, "file"> & {
    file?: WithMode<NonNullable<Out<typeof assertObject>["file"]>>;
  };
  file: WithMode<Out<typeof fileObject>>;
  template: WithMode<Out<typeof templateObject>>;
  copy: WithMode<Out<typeof copyObject>>;
  unarchive: WithMode<Out<typeof unarchiveObject>>;
  download: WithMode<Out<typeof downloadObject>>;
  replace: { path: string; regexp: string; replace: string; count?: number; backup?: boolean };
  lineinfile: WithMode<Out<typeof lineinfileObject>>;
  wait: Omit<Out<typeof waitObject>, "path">;
  package: Out<typeof packageObject>;
  service: Out<typeof serviceObject>;
}

export type ActionCall = {
  [A in ActionName]: { action: A; args: ActionArgsMap[A] };
}[ActionName];

export type Loop =
  | { type: "with_items"; items: unknown[] | string; path: JsPath }
  | { type: "with_filetree"; root: string; path: JsPath };

/** Fields every kind of step has. */
export interface StepBase {
  path: JsPath;
  name: string | null;
  id: string | null;
  tags: string[];
  /** All must hold. */
  when: Expr[];
  needs: string[];
}

/** Process settings; `null` means "inherit from the enclosing group". */
export interface ExecFields {
  become: boolean | null;
  become_user: string | null;
  env: Record<string, string>;
  cwd: string | null;
  ignore_errors: boolean | null;
}

export type ActionStep = StepBase &
  ExecFields &
  ActionCall & {
    kind: "action";
    /** The action key as written (`file_replace` for `replace`): the action sits at `[...path, key]`. */
    key: ActionKey;
    /**
     * Where each arg that was not written under its own name is: a short form's arg
     * (`shell: ls` → `cmd`) at the action key's path, a folded alias (`pattern` →
     * `regexp`) at the alias. Every other arg `k` sits at `[...path, key, k]`.
     */
    arg_paths: Record<string, JsPath>;
    loop: Loop | null;
    /** `parallel: N` on a loop step (with optional `max`): iterations at a time. */
    loop_parallel: number | null;
    register: string | null;
    changed_when: Expr[];
    failed_when: Expr[];
    creates: string | null;
    unless: string | null;
    removes: string | null;
    timeout_ms: number | null;
    deadline_ms: number | null;
    retry: RetryPolicy | null;
    breaker: BreakerPolicy | null;
    compensate: StepNode[];
    notify: string[];
    check_mode: boolean | null;
    /** Handlers only: extra names the handler answers to. */
    listen: string[];
    output_limit: number | null;
    register_full: boolean;
    durable: boolean;
    on_interrupt: "rerun" | "fail" | null;
    ignore_unreachable: boolean;
    sensitive: boolean | null;
    /** Ansible's `no_log`, read as `sensitive` (the planner warns where it is written). */
    no_log: boolean | null;
    run_once: boolean;
    delegate_to: string | null;
    throttle: number | null;
  };

export interface BlockStep extends StepBase, ExecFields {
  kind: "block";
  block: StepNode[];
  rescue: StepNode[];
  always: StepNode[];
}

export interface ParallelStep extends StepBase, ExecFields {
  kind: "parallel";
  steps: StepNode[];
  max: number | null;
}

export interface IncludeStep extends StepBase, ExecFields {
  kind: "include";
  include: string;
  loop: Loop | null;
}

export interface PresetStep extends StepBase, ExecFields {
  kind: "preset";
  preset: string;
  with: Record<string, unknown>;
  /** Where the name and the parameters are written (`preset: {name, with}` or `preset:` + `with:`). */
  name_path: JsPath;
  with_path: JsPath;
  /** What the preset as a whole registers (see src/plan/preset-result.ts). */
  register: string | null;
}

export interface VarsStep extends StepBase {
  kind: "vars";
  vars: Record<string, unknown>;
  export: boolean;
}

export interface IncludeVarsStep extends StepBase {
  kind: "include_vars";
  include_vars: string;
  export: boolean;
}

/** An included task file: its steps, and the `vars:` of its mapping form (unrendered). */
export interface TaskFile {
  steps: StepNode[];
  vars: Record<string, unknown> | null;
}

export type StepNode =
  | ActionStep
  | BlockStep
  | ParallelStep
  | IncludeStep
  | PresetStep
  | VarsStep
  | IncludeVarsStep;

export interface Playbook {
  /** "list": the file is a sequence of steps (paths `[i]`); "mapping": paths `["steps", i]`. */
  form: "list" | "mapping";
  version: string | null;
  vars: Record<string, unknown>;
  steps: StepNode[];
  handlers: StepNode[];
  on_failure: "stop" | "compensate";
  /** The `hosts:` pattern(s) over the inventory (SPEC §1.6); null = local. */
  hosts: string[] | null;
  /** `inventory:` files, relative to the playbook. */
  inventory: string[];
  /** `serial:` batch sizes (a count or "N%"), or null for one batch. */
  serial: number | string | (number | string)[] | null;
  max_fail_percentage: number | null;
  /** Environment variables holding secrets (SPEC §1.7). */
  secret_env: string[];
  /** The playbook's named secret sources (SPEC §1.7), in the order written. */
  secrets: Record<string, SecretSource>;
}
