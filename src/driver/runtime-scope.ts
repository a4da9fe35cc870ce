/**
 * The variables a step sees at run time (SPEC §1.4): facts under the step's plan-time
 * scope, then its loop variables, then registered results (highest precedence).
 * Built lazily, only for steps that evaluate something, so that trivial steps cost
 * nothing here.
 */
import type { Plan, PlanStep } from "../model/plan.js";
import { CutValues } from "./cut-reads.js";

export class RuntimeScopes {
  private readonly bases = new Map<number, Record<string, unknown>>();
  /** Registered results by target, then by name; loops also get `name.results`. */
  private readonly registered = new Map<string, Record<string, unknown>>();
  private readonly loopResults = new Map<string, unknown[]>();
  /** Registered values whose output was cut to the output limit (for the warning). */
  readonly cut = new CutValues();

  constructor(private readonly plan: Plan) {}

  for(step: PlanStep): Record<string, unknown> {
    let base = this.bases.get(step.scope);
    if (base === undefined) {
      const facts = this.plan.facts[step.target] ?? {};
      base = { ...facts, facts, ...(this.plan.scopes[step.scope] ?? {}) };
      this.bases.set(step.scope, base);
    }
    const loop =
      step.loop === null
        ? {}
        : {
            item: step.loop.item,
            index: step.loop.index,
            first: step.loop.first,
            last: step.loop.last,
          };
    return { ...base, ...loop, ...this.registeredOn(step.target) };
  }

  /**
   * Stores a step's result under its `register` name. For a loop, as Ansible does, the
   * name holds the latest iteration's result and `name.results` all of them so far.
   */
  register(step: PlanStep, result: Record<string, unknown>): void {
    if (step.register === null) return;
    const registered = this.registeredOn(step.target);
    if (step.loop === null) {
      registered[step.register] = result;
      this.cut.note(step.register, step, result);
      return;
    }
    const key = `${step.register}\u0000${step.id.slice(0, step.id.lastIndexOf("["))}`;
    const all = this.loopResults.get(key) ?? [];
    all[step.loop.index] = { ...result, item: step.loop.item };
    this.loopResults.set(key, all);
    registered[step.register] = { ...result, results: all.filter((r) => r !== undefined) };
    this.cut.note(step.register, step, result);
  }

  /** Each target registers its own results: `r` on web1 is not `r` on web2 (as Ansible). */
  private registeredOn(target: string): Record<string, unknown> {
    let r = this.registered.get(target);
    if (r === undefined) {
      r = {};
      this.registered.set(target, r);
    }
    return r;
  }
}
