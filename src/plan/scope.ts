/**
 * Plan-time variable scopes. A scope holds the variables of SPEC §1.4 visible at one
 * point of the playbook: playbook vars and `vars`/`include_vars` steps, overridden by
 * the command line's vars. Facts sit underneath and are added lazily, only those that
 * some expression reads, and recorded so the plan can list the facts it used.
 */
import type { FactLookup } from "./inputs.js";

export interface Scope {
  /** Index into Plan.scopes. */
  index: number;
  /** Variables without facts: what Plan.scopes[index] holds. */
  vars: Record<string, unknown>;
  /** vars plus the facts looked up so far; what expressions are evaluated against. */
  view: Record<string, unknown>;
}

export class ScopeTable {
  readonly entries: Record<string, unknown>[] = [];
  readonly factsUsed: Record<string, unknown> = {};
  private readonly factNames: Set<string>;

  constructor(
    private readonly facts: FactLookup,
    private readonly cliVars: Record<string, unknown>,
  ) {
    this.factNames = new Set(facts.names());
  }

  /** A new scope: `planVars` (lower precedence) under the command-line vars. */
  create(planVars: Record<string, unknown>): Scope {
    const vars = { ...planVars, ...this.cliVars };
    const index = this.entries.length;
    this.entries.push(vars);
    const view: Record<string, unknown> = { ...vars };
    for (const [k, v] of Object.entries(this.factsUsed)) if (!Object.hasOwn(view, k)) view[k] = v;
    return { index, vars, view };
  }

  /** The command-line vars with the facts looked up so far beneath them. */
  cliVarsView(): Record<string, unknown> {
    return { ...this.factsUsed, ...this.cliVars };
  }

  /**
   * Make sure every fact among `names` is present (under vars) in `targets`. `facts`
   * itself names the whole namespace (`facts.os`), which needs every fact.
   */
  ensureFacts(names: readonly string[], targets: Record<string, unknown>[]): void {
    for (const name of names) {
      if (name === "facts") {
        const all: Record<string, unknown> = {};
        for (const f of this.factNames) all[f] = this.fact(f);
        for (const t of targets) if (!Object.hasOwn(t, "facts")) t.facts = all;
        continue;
      }
      if (!this.factNames.has(name)) continue;
      const value = this.fact(name);
      for (const t of targets) if (!Object.hasOwn(t, name)) t[name] = value;
    }
  }

  private fact(name: string): unknown {
    if (!Object.hasOwn(this.factsUsed, name)) this.factsUsed[name] = this.facts.get(name);
    return this.factsUsed[name];
  }
}
