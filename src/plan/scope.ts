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
  /** The `facts` namespace as expressions see it: grows as attributes are read. */
  private readonly namespace: Record<string, unknown> = {};
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
   * itself names the namespace (`facts.os`): given the expression's `source`, only the
   * attributes it reads are looked up (so the plan lists only the facts it used);
   * without a source, or when `facts` is used whole, every fact is.
   */
  ensureFacts(names: readonly string[], targets: Record<string, unknown>[], source?: string): void {
    for (const name of names) {
      if (name === "facts") {
        const wanted = source === undefined ? null : factAttributes(source);
        for (const f of wanted ?? this.factNames) {
          if (this.factNames.has(f)) this.namespace[f] = this.fact(f);
        }
        for (const t of targets) if (!Object.hasOwn(t, "facts")) t.facts = this.namespace;
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

/**
 * The attributes of `facts` that `source` reads (`facts.os`, `facts['arch']`), or null
 * when `facts` is also used whole (`facts | dict2items`), which needs every fact.
 */
function factAttributes(source: string): string[] | null {
  const attrs: string[] = [];
  const uses = source.match(/(?<![\w.])facts(?!\w)/g)?.length ?? 0;
  for (const m of source.matchAll(/(?<![\w.])facts\s*(?:\.\s*(\w+)|\[\s*['"](\w+)['"]\s*\])/g)) {
    attrs.push((m[1] ?? m[2])!);
  }
  return attrs.length === uses ? attrs : null;
}
