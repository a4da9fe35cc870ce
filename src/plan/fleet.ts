/**
 * Planning for several targets (SPEC §1.6): the playbook is compiled once per target,
 * with that target's facts and inventory variables, so that plan-time `when`, loops and
 * includes are decided per host; the per-target plans are then merged into one plan
 * whose step ids are `<target>/<id>`. Each target's steps keep only their own edges, so
 * that a slow host holds no one back; `run_once`, `throttle` and `delegate_to` are the
 * only things that join targets. Pure, like compile.
 */
import type { Diagnostic } from "../model/diagnostic.js";
import {
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlanBlock,
  type PlanConnection,
  type PlanPreset,
  type PlanStep,
} from "../model/plan.js";
import type { Result } from "../model/result.js";
import { type BatchSize, batchesOf } from "./batches.js";
import { compile } from "./compile.js";
import { jsonDigest } from "./digest.js";
import type { CompileOptions, FactLookup } from "./inputs.js";

export interface FleetTarget {
  name: string;
  /** Inventory variables and Ansible's magic variables of this host. */
  vars: Record<string, unknown>;
  facts: FactLookup;
  /** How the target is reached; absent = this machine. */
  connection?: PlanConnection;
}

export interface FleetOptions {
  serial: BatchSize | readonly BatchSize[] | null;
  maxFailPercentage: number | null;
  /** Force the fleet form (ids keep no prefix with one target, but the plan has `fleet`). */
  remote: boolean;
}

const LOCAL_CONNECTION: PlanConnection = {
  kind: "local",
  host: "localhost",
  port: 22,
  user: null,
  key_file: null,
  host_key_checking: null,
  become: null,
  become_user: null,
};

/** Names a step may be delegated to besides inventory hosts: this machine. */
const LOCAL_NAMES = new Set(["local", "localhost", "127.0.0.1"]);

export function compileFleet(
  base: Omit<CompileOptions, "facts" | "target" | "targetVars">,
  targets: readonly FleetTarget[],
  fleet: FleetOptions,
): Result<Plan, Diagnostic[]> {
  const plans: Plan[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const r = compile({
      ...base,
      facts: { [t.name]: t.facts },
      target: t.name,
      targetVars: t.vars,
    });
    if (r.ok) {
      plans.push(r.value);
      continue;
    }
    // The same mistake on every host is one mistake.
    for (const d of r.error) {
      const key = JSON.stringify([d.code, d.message, d.pos]);
      if (!seen.has(key)) diagnostics.push(d);
      seen.add(key);
    }
  }
  if (diagnostics.length > 0) return { ok: false, error: diagnostics };
  const names = targets.map((t) => t.name);
  const prefixed = names.length > 1;
  const renamed = plans.map((p) => (prefixed ? prefixPlan(p) : p));
  const batches = batchesOf(names, fleet.serial);
  const steps = renamed.flatMap((p) => p.steps);
  const handlers = renamed.flatMap((p) => p.handlers);
  const problems = checkDelegates([...steps, ...handlers], new Set(names));
  if (problems.length > 0) return { ok: false, error: problems };
  const connections = Object.fromEntries(
    targets.map((t) => [t.name, t.connection ?? LOCAL_CONNECTION]),
  );
  for (const s of [...steps, ...handlers]) inventoryBecome(s, connections[s.target]);
  markRunOnce(steps, batches, prefixed);
  for (const s of [...steps, ...handlers]) applyThrottle(s, prefixed);
  let scopeOffset = 0;
  const scopes: Record<string, unknown>[] = [];
  renamed.forEach((p) => {
    if (scopeOffset > 0) for (const s of [...p.steps, ...p.handlers]) s.scope += scopeOffset;
    scopes.push(...p.scopes);
    scopeOffset += p.scopes.length;
  });
  steps.forEach((s, n) => {
    s.seq = n + 1;
  });
  handlers.forEach((s, n) => {
    s.seq = steps.length + n + 1;
  });
  const first = plans[0];
  const body = {
    format_version: PLAN_FORMAT_VERSION,
    root: base.root,
    sources: first?.sources ?? [],
    ...presetsOf(plans),
    ...(first?.secrets === undefined ? {} : { secrets: first.secrets }),
    facts: Object.assign({}, ...plans.map((p) => p.facts)) as Plan["facts"],
    vars: first?.vars ?? {},
    scopes,
    steps,
    handlers,
    blocks: renamed.flatMap((p) => p.blocks),
    on_failure: first?.on_failure ?? ("stop" as const),
    fleet: {
      targets: names,
      batches,
      max_fail_percentage: fleet.maxFailPercentage,
      connections,
    },
  };
  const digest = `sha256:${jsonDigest(body)}`;
  const { format_version, ...rest } = body;
  return { ok: true, value: { format_version, digest, ...rest } };
}

/** Every id of a target's plan becomes `<target>/<id>`. */
function prefixPlan(plan: Plan): Plan {
  const target = plan.steps[0]?.target ?? plan.handlers[0]?.target;
  if (target === undefined) return plan;
  const p = (id: string) => `${target}/${id}`;
  const step = (s: PlanStep): PlanStep => ({
    ...s,
    id: p(s.id),
    needs: s.needs.map(p),
    compensate: s.compensate.map(p),
    notify: s.notify.map(p),
    block: s.block === null ? null : { ...s.block, id: p(s.block.id) },
    group: s.group === null ? null : { ...s.group, id: p(s.group.id) },
  });
  const block = (b: PlanBlock): PlanBlock => ({
    id: p(b.id),
    parent: b.parent === null ? null : p(b.parent),
    main: b.main.map(p),
    rescue: b.rescue.map(p),
    always: b.always.map(p),
  });
  return {
    ...plan,
    steps: plan.steps.map(step),
    handlers: plan.handlers.map(step),
    blocks: plan.blocks.map(block),
  };
}

/** The id a step has in every target's plan (without the `<target>/` prefix). */
function baseIdOf(s: PlanStep, prefixed: boolean): string {
  return prefixed ? s.id.slice(s.target.length + 1) : s.id;
}

/**
 * `run_once`: in each batch the first target's instance runs; every other target's
 * instance of the same step names it (`same_as`), waits for it, and takes its result.
 */
function markRunOnce(steps: PlanStep[], batches: string[][], prefixed: boolean): void {
  const batchOf = new Map<string, number>();
  batches.forEach((b, i) => {
    for (const t of b) batchOf.set(t, i);
  });
  const leaders = new Map<string, string>();
  for (const s of steps) {
    if (s.run_once === undefined) continue;
    const key = `${batchOf.get(s.target) ?? 0}\u0000${baseIdOf(s, prefixed)}`;
    const leader = leaders.get(key);
    if (leader === undefined) {
      leaders.set(key, s.id);
      continue;
    }
    s.same_as = leader;
    if (!s.needs.includes(leader)) s.needs.push(leader);
  }
}

/**
 * The inventory's `ansible_become: true` makes every step of its host become (the
 * planner does not tell an explicit `become: false` from none, so it cannot opt out),
 * as `ansible_become_user` names the user when the step names none.
 */
function inventoryBecome(s: PlanStep, c: PlanConnection | undefined): void {
  if (c === undefined || c.become !== true) return;
  s.exec = {
    ...s.exec,
    become: true,
    become_user: s.exec.become_user ?? c.become_user,
  };
}

/** `throttle: N`: the step's instances on every target share one group of at most N. */
function applyThrottle(s: PlanStep, prefixed: boolean): void {
  if (s.throttle === undefined) return;
  s.group = { id: `throttle:${baseIdOf(s, prefixed)}`, max: s.throttle };
}

function checkDelegates(steps: PlanStep[], targets: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of steps) {
    const d = s.delegate_to;
    if (d === undefined || targets.has(d) || LOCAL_NAMES.has(d)) continue;
    out.push({
      severity: "error",
      code: "unknown-host",
      message: `delegate_to names '${d}', which is not a host of this play`,
      pos: { file: s.origin.file, line: s.origin.line, column: s.origin.column },
      hint: "delegate to 'local', or to a host the play's hosts: pattern selects",
    });
  }
  return out;
}

function presetsOf(plans: Plan[]): { presets?: PlanPreset[] } {
  const seen = new Map<string, PlanPreset>();
  for (const p of plans)
    for (const x of p.presets ?? []) if (!seen.has(x.name)) seen.set(x.name, x);
  return seen.size === 0 ? {} : { presets: [...seen.values()] };
}
