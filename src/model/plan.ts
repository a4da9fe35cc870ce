/**
 * The plan: the serializable output of the pure planner and the only input of the
 * engine. See SPEC §2.2. Fields may be added, never renamed.
 */
export const PLAN_FORMAT_VERSION = 1;

export interface OriginFrame {
  file: string;
  line: number;
  column: number;
}

/** Where a step came from; `chain` lists the include sites that led to `file`, outermost first. */
export interface Origin extends OriginFrame {
  chain: OriginFrame[];
}

export interface LoopContext {
  type: "with_items" | "with_filetree";
  item: unknown;
  index: number;
  first: boolean;
  last: boolean;
}

/** A field kept as a template because it reads a runtime value (SPEC §2.1). */
export interface Deferred {
  template: string;
  /** The runtime names (registered results) it waits for. */
  needs: string[];
  /** Present when the field reads a secret (SPEC §1.7): read only when the step runs. */
  reason?: "secret";
  /** The secrets it reads, by name; present with `reason`. */
  secrets?: string[];
}

/**
 * Where a named secret comes from (SPEC §1.7): the plan holds these references, never
 * a value. Paths are relative to the root playbook's directory unless absolute.
 */
export type SecretSource =
  | { env: string }
  | { file: string }
  | { cmd: string[]; timeout_ms?: number }
  | { sops: string }
  | { age: string; identity: string };

export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  delay_ms: number;
  /** Multiplier between consecutive delays (1 = fixed). */
  backoff: number;
  max_delay_ms: number | null;
  jitter: boolean;
  /** Which failures are retried: `any`, `timeout`, `rc!=0`, `error`. */
  on: string[];
}

export interface BreakerPolicy {
  key: string;
  threshold: number;
  cooldown_ms: number;
}

export interface StepPolicy {
  /** Per attempt. */
  timeout_ms: number | null;
  retry: RetryPolicy | null;
  ignore_errors: boolean;
  /** Bound on all attempts together. */
  deadline_ms: number | null;
  breaker: BreakerPolicy | null;
  /** Bytes of each output stream the result keeps (head and tail); null = the run's limit. */
  output_limit: number | null;
  /** `register` stores the whole output, read back from the output files when it was cut. */
  register_full: boolean;
  /** Sync the journal before the step starts. Absent = false. */
  durable?: true;
  /** A resume settles the step failed if a crash interrupted it. Absent = run it again. */
  on_interrupt?: "fail";
  /** An unreachable target ends this step `ignored` and the target goes on. Absent = false. */
  ignore_unreachable?: true;
}

export type BlockRole = "main" | "rescue" | "always";

export interface BlockRef {
  id: string;
  role: BlockRole;
}

/**
 * One fully expanded step. `args` holds the action's arguments rendered at plan time;
 * a field that reads a runtime value holds its raw template and is listed in
 * `deferred` under its dotted path (e.g. `args.cmd`, `name`, `env.PATH`).
 */
export interface PlanStep {
  id: string;
  /** 1-based position in a topological order. */
  seq: number;
  name: string;
  target: string;
  action: string;
  args: Record<string, unknown>;
  deferred: Record<string, Deferred>;
  /** Runtime condition (expression source), or null. */
  when: string | null;
  changed_when: string | null;
  failed_when: string | null;
  /** Skip when this path exists. */
  creates: string | null;
  /** Skip when this shell command succeeds. */
  unless: string | null;
  /** Skip when this path does not exist (Ansible's `removes`). Absent when not set. */
  removes?: string;
  register: string | null;
  /**
   * As Ansible: `check_mode: false` marks a step safe to run for real in a dry run (it
   * is applied, and its `unless` command run, so later steps see real results);
   * `check_mode: true` only checks the step, even in a real run. null = follow the run.
   */
  check_mode: boolean | null;
  /** Process settings for actions that run processes. */
  exec: {
    env: Record<string, string>;
    cwd: string | null;
    become: boolean;
    become_user: string | null;
  };
  /** Every incoming DAG edge. */
  needs: string[];
  origin: Origin;
  loop: LoopContext | null;
  tags: string[];
  /** Decided at plan time: tag filtering or a plan-time-false `when`. */
  skipped: { reason: string } | null;
  policy: StepPolicy;
  block: BlockRef | null;
  compensate: string[];
  notify: string[];
  /** Index into Plan.scopes: the plan-time variables visible to this step. */
  scope: number;
  /** Run its loop iterations N at a time (the iteration's group limit), or null. */
  group: { id: string; max: number | null } | null;
  /** `sensitive: true`: args, output and result are hidden. Absent = false. */
  sensitive?: true;
  /** The secrets any field of the step reads (resolved just before it runs). Absent = none. */
  secrets?: string[];
  /**
   * Fleet runs (SPEC §1.6): runs on the first target of its batch only; that step's
   * instances on the other targets wait for it and take its result. Absent = false.
   */
  run_once?: true;
  /** A `run_once` copy: it does not run, it settles as this step did and takes its result. */
  same_as?: string;
  /** Runs on this target instead of `target` (with `target`'s variables). Absent = on `target`. */
  delegate_to?: string;
  /** At most N targets run this step at once (Ansible's throttle). Absent = no bound. */
  throttle?: number;
}

/** A fleet plan's hosts, in rolling batches (`serial`), and when a batch aborts the run. */
export interface PlanFleet {
  /** Every target, in inventory order. */
  targets: string[];
  /** The targets of each batch, in order; one batch when there is no `serial`. */
  batches: string[][];
  /** Abort when more than this percentage of a batch failed; null = only when all of it did. */
  max_fail_percentage: number | null;
  /**
   * How each target is reached, from the inventory: a saved plan applies, and a run
   * resumes, without the inventory. Never a password: those are not supported.
   */
  connections: Record<string, PlanConnection>;
}

export interface PlanConnection {
  kind: "local" | "ssh";
  host: string;
  port: number;
  user: string | null;
  key_file: string | null;
  host_key_checking: "strict" | "accept-new" | "off" | null;
  /** The inventory's `ansible_become`: the default of `become` for the host's steps; null = unset. */
  become: boolean | null;
  become_user: string | null;
}

/**
 * A `block` with its sections, as step ids (every leaf step inside the section,
 * nested blocks included). `parent` is the enclosing block, if any.
 */
export interface PlanBlock {
  id: string;
  parent: string | null;
  main: string[];
  rescue: string[];
  always: string[];
}

export interface SourceEntry {
  path: string;
  sha256: string;
}

/** A preset the plan expanded: its name and the file found for it on the search path. */
export interface PlanPreset {
  name: string;
  file: string;
}

export interface Plan {
  format_version: number;
  digest: string;
  root: string;
  sources: SourceEntry[];
  /** The presets expanded and the file that won each search (SPEC §1.8); absent when none. */
  presets?: PlanPreset[];
  /** Named secret sources (references only); absent when the playbook has none. */
  secrets?: Record<string, SecretSource>;
  /** Per target: only the facts the plan used. */
  facts: Record<string, Record<string, unknown>>;
  /** Plan-time vars of the root scope. */
  vars: Record<string, unknown>;
  /** Variable scopes referenced by steps (scope 0 = root). Facts are not repeated here. */
  scopes: Record<string, unknown>[];
  steps: PlanStep[];
  handlers: PlanStep[];
  blocks: PlanBlock[];
  /** Top-level failure policy: `on_failure: compensate`. */
  on_failure: "stop" | "compensate";
  /** Present when the plan has more than one target, or a remote one (SPEC §1.6). */
  fleet?: PlanFleet;
}
