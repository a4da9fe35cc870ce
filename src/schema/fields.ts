/**
 * The common fields of a step (SPEC §1.2) as zod schemas with their descriptions, and
 * which of them each kind of step accepts.
 */
import * as z from "zod";
import {
  condition,
  count,
  duration,
  envMap,
  expected,
  positive,
  size,
  str,
  stringList,
} from "./primitives.js";

const retryPolicy = z
  .strictObject({
    attempts: positive.optional().describe("Total attempts, including the first. @default 3"),
    delay: duration.optional().describe("Delay before the first retry. @default 1s"),
    backoff: z.number().min(1).optional().describe("Delay multiplier per retry. @default 2"),
    max_delay: duration.optional().describe("Upper bound of a delay"),
    jitter: z.boolean().optional().describe("Randomize delays (seeded). @default true"),
    on: z
      .union([
        z.enum(["any", "timeout", "rc!=0", "error"]),
        z.array(z.enum(["any", "timeout", "rc!=0", "error"])),
      ])
      .optional()
      .describe("Which failures are retried. @default any"),
  })
  .describe("Retry policy");

const breaker = z
  .union([
    str,
    z.strictObject({
      key: str,
      threshold: positive.optional().describe("Consecutive failures that open it. @default 5"),
      cooldown: duration.optional().describe("How long it stays open. @default 30s"),
    }),
  ])
  .describe("Circuit breaker shared by every step with the same key")
  .register(expected, { expected: "a breaker key, or a mapping with 'key'" });

/** Field name → schema, for every field any step may carry besides its action. */
export const COMMON_FIELDS = {
  name: str.describe("Display name (templated)"),
  id: str.describe("Stable step id; derived from the name when absent"),
  tags: stringList.describe("Tags for --tags/--skip-tags; inherited by children"),
  when: condition.describe("Run only when this holds (all of a list)"),
  with_items: z
    .union([str, z.array(z.unknown())])
    .describe("Run once per item: a list, or an expression yielding a list")
    .register(expected, { expected: "a list, or an expression yielding a list" }),
  with_filetree: str.describe("Run once per entry of this directory (sorted)"),
  register: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .describe("Store the result under this name")
    .register(expected, { expected: "a variable name" }),
  changed_when: condition.describe("Override 'changed' (expression over result)"),
  failed_when: condition.describe("Override 'failed' (expression over result)"),
  creates: str.describe("Skip when this path exists"),
  unless: str.describe("Skip when this shell command succeeds"),
  removes: str.describe("Skip when this path does not exist (Ansible's removes)"),
  durable: z
    .boolean()
    .describe("Sync the run's journal to disk before this step starts (for irreversible steps)"),
  on_interrupt: z
    .enum(["rerun", "fail"])
    .describe(
      "When a run is resumed after a crash during this step: run it again (rerun, the default) or settle it failed",
    ),
  env: envMap.describe("Environment variables of processes"),
  cwd: str.describe("Working directory of processes"),
  timeout: duration.describe("Per attempt, e.g. 30s"),
  become: z.boolean().describe("Run with privilege escalation (sudo)"),
  become_user: str.describe("User to become"),
  retries: count.describe("Mooncake form: retries N = up to N+1 attempts, fixed delay"),
  retry_delay: duration.describe("Mooncake form: delay between retries"),
  retry: retryPolicy,
  ignore_errors: z.boolean().describe("A failure is recorded but does not fail the run"),
  needs: stringList.describe("Step ids this step depends on"),
  compensate: z
    .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .describe("A step (or list) that undoes this one")
    .register(expected, { expected: "a step, or a list of steps" }),
  notify: stringList.describe("Handlers to run at the end if this step changed"),
  breaker,
  deadline: duration.describe("Bound on all attempts together"),
  parallel: positive.describe("On a loop step: run N iterations at a time"),
  check_mode: z.boolean().describe("false: safe to run even in --dry-run"),
  output_limit: size.describe(
    "Output kept per stream in the result (head and tail); all of it goes to the output files. @default 256KiB",
  ),
  register_full: z
    .boolean()
    .describe("Register the whole output, read back from the output files when it was cut"),
  sensitive: z.boolean().describe("Hide this step's args, output and result everywhere"),
  no_log: z.boolean().describe("Ansible's name for 'sensitive' (accepted, with a hint)"),
  export: z.boolean().describe("Make these vars visible to the including file"),
  max: positive.describe("At most N children run at once"),
  listen: stringList.describe("Handler: extra names it answers to"),
  run_once: z.boolean().describe("Run on the first host of each batch only (Ansible's run_once)"),
  delegate_to: str.describe(
    "Run this step on another inventory host (or local) with this host's variables",
  ),
  throttle: positive.describe("At most N hosts run this step at once"),
  ignore_unreachable: z
    .boolean()
    .describe("An unreachable host fails this step as ignored, and the host goes on"),
} as const;

export type CommonField = keyof typeof COMMON_FIELDS;

/** Fields that grouping steps pass down to their children. */
const INHERITED = [
  "name",
  "id",
  "tags",
  "when",
  "become",
  "become_user",
  "env",
  "cwd",
  "ignore_errors",
  "needs",
] as const;

/** Which common fields each kind of step accepts (besides its own keys). */
export const FIELDS_BY_KIND = {
  action: Object.keys(COMMON_FIELDS).filter(
    (f) => f !== "export" && f !== "listen",
  ) as CommonField[],
  block: [...INHERITED],
  parallel: [...INHERITED, "max"],
  include: [...INHERITED, "with_items"],
  preset: [...INHERITED, "register"],
  vars: ["name", "id", "when", "tags", "export"],
  include_vars: ["name", "id", "when", "tags", "export"],
} as const satisfies Record<string, readonly CommonField[]>;

export type StepKind = keyof typeof FIELDS_BY_KIND;
