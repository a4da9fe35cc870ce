/**
 * Test-only plan builders: PlanSteps with defaults, plans with `seq` filled in, and
 * a tiny "planner" that encodes blocks the way src/plan does (chained main steps,
 * rescue after the last main step, always after both, the next step after the
 * block). Not exported from the engine's index.
 */
import type { EngineOptions } from "../model/engine.js";
import type {
  BlockRole,
  Plan,
  PlanBlock,
  PlanStep,
  RetryPolicy,
  StepPolicy,
} from "../model/plan.js";

export type StepOverrides = Omit<Partial<PlanStep>, "policy"> & { policy?: Partial<StepPolicy> };

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    attempts: 3,
    delay_ms: 100,
    backoff: 2,
    max_delay_ms: null,
    jitter: false,
    on: [],
    ...overrides,
  };
}

/** A shell step `id` with no needs and default policy (seq 0: filled in by `plan`). */
export function planStep(id: string, overrides: StepOverrides = {}): PlanStep {
  const { policy, ...rest } = overrides;
  return {
    id,
    seq: 0,
    name: id,
    target: "local",
    action: "shell",
    args: { cmd: "true" },
    deferred: {},
    when: null,
    changed_when: null,
    failed_when: null,
    creates: null,
    unless: null,
    register: null,
    check_mode: null,
    exec: { env: {}, cwd: null, become: false, become_user: null },
    needs: [],
    origin: { file: "site.yml", line: 1, column: 1, chain: [] },
    loop: null,
    tags: [],
    skipped: null,
    policy: {
      timeout_ms: null,
      retry: null,
      ignore_errors: false,
      deadline_ms: null,
      breaker: null,
      output_limit: null,
      register_full: false,
      ...policy,
    },
    block: null,
    compensate: [],
    notify: [],
    scope: 0,
    group: null,
    ...rest,
  };
}

/** A plan of `steps` (seq = position when 0) and `handlers`. */
export function plan(steps: PlanStep[], overrides: Partial<Omit<Plan, "steps">> = {}): Plan {
  return {
    format_version: 1,
    digest: "sha256:test",
    root: "site.yml",
    sources: [],
    facts: {},
    vars: {},
    scopes: [{}],
    handlers: [],
    blocks: [],
    on_failure: "stop",
    ...overrides,
    steps: steps.map((s, i) => (s.seq === 0 ? { ...s, seq: i + 1 } : s)),
  };
}

/** A chain: each step needs the one before it. */
export function chain(ids: string[], overrides: StepOverrides = {}): PlanStep[] {
  return ids.map((id, i) => planStep(id, { ...overrides, needs: i === 0 ? [] : [ids[i - 1]!] }));
}

export function options(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return { jobs: 10, keepGoing: false, compensate: false, seed: 1, ...overrides };
}

/** A playbook item for `encodeBlocks`: a step, or a block with its sections. */
export type Item =
  | { step: string; overrides?: StepOverrides }
  | { block: string; main: Item[]; rescue?: Item[]; always?: Item[] };

/** Encodes items (top level: one after the other) into steps and blocks, as the planner does. */
export function encodeBlocks(items: Item[]): { steps: PlanStep[]; blocks: PlanBlock[] } {
  const steps: PlanStep[] = [];
  const blocks: PlanBlock[] = [];
  const emit = (
    list: Item[],
    before: string[],
    parent: { id: string; role: BlockRole } | null,
    leaves: string[],
  ): string[] => {
    let last = before;
    for (const item of list) {
      if ("step" in item) {
        steps.push(planStep(item.step, { ...item.overrides, needs: last, block: parent }));
        leaves.push(item.step);
        last = [item.step];
        continue;
      }
      const block: PlanBlock = {
        id: item.block,
        parent: parent?.id ?? null,
        main: [],
        rescue: [],
        always: [],
      };
      blocks.push(block);
      const main = emit(item.main, last, { id: item.block, role: "main" }, block.main);
      const rescue = emit(
        item.rescue ?? [],
        main,
        { id: item.block, role: "rescue" },
        block.rescue,
      );
      const afterRescue = block.rescue.length > 0 ? rescue : [];
      const always = emit(
        item.always ?? [],
        [...new Set([...main, ...afterRescue])],
        { id: item.block, role: "always" },
        block.always,
      );
      leaves.push(...block.main, ...block.rescue, ...block.always);
      last = block.always.length > 0 ? always : block.rescue.length > 0 ? rescue : main;
    }
    return last;
  };
  emit(items, [], null, []);
  return { steps, blocks };
}
