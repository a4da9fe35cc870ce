/**
 * The expansion walk of the pure planner: includes, vars, loops, blocks, parallel
 * groups and action steps become a flat list of PlanSteps with DAG edges. Each list is
 * expanded in order; `prev` carries the exits of what came before (the steps the next
 * one needs), so sequence, parallel groups and blocks all reduce to edges.
 *
 * This file holds the walk's state, the dispatch of a list item to its kind, and the
 * helpers every kind shares; the kinds live beside it: directives.ts (vars,
 * include_vars, include), groups.ts (block, parallel), action-step.ts (action steps),
 * with loops.ts, conditions.ts, arg-paths.ts and step-ids.ts.
 */
import type { LoadedDoc } from "../load/index.js";
import type { ExecFields, StepBase, StepNode } from "../schema/index.js";
import type { Diagnostic, SourcePos } from "../model/diagnostic.js";
import type { Deferred, PlanBlock, SecretSource } from "../model/plan.js";
import { expandAction } from "./action-step.js";
import { expandInclude, expandIncludeVars, expandVars } from "./directives.js";
import type { Frame, Inherited, ListResult, Pending } from "./frame.js";
import { expandBlock, expandParallel } from "./groups.js";
import { sha256Hex } from "./digest.js";
import { IdAllocator } from "./ids.js";
import type { CompileOptions } from "./inputs.js";
import { expandPreset, type FoundPreset } from "./preset.js";
import type { DocPath, RenderSite } from "./render.js";
import { type Scope, ScopeTable } from "./scope.js";
import { loadYaml } from "./steps.js";
import { uniq, whenList } from "./util.js";

export class Planner {
  readonly diagnostics: Diagnostic[] = [];
  /** path → sha256 of its bytes (for a walked directory: a fingerprint of its listing). */
  readonly sources = new Map<string, string>();
  readonly pending: Pending[] = [];
  readonly handlers: Pending[] = [];
  readonly blocks: PlanBlock[] = [];
  readonly scopes: ScopeTable;
  /** Names registered by steps seen so far (document order): runtime values from here on. */
  readonly runtime = new Set<string>();
  /** Base ids of steps inside looped includes, by where they are written (see baseId). */
  readonly loopBases = new Map<string, { id: string; derived: boolean }>();
  /** Every user `id:` seen, and the name behind each provisional id token (see baseId). */
  readonly userIds = new Set<string>();
  readonly tokens = new Map<string, string>();
  /** Ids of blocks and parallel groups (their own namespace: they are not steps). */
  readonly groupIds = new IdAllocator();
  /** Ids of preset steps (the prefix of the ids of their steps). */
  readonly presetIds = new IdAllocator();
  /** Every preset expanded, with the file that won the search (SPEC §1.8). */
  readonly presetsUsed: FoundPreset[] = [];
  /** Named secret sources (SPEC §1.7): the playbook's, --secrets-file's and secret_env's. */
  secrets: Record<string, SecretSource> = {};
  readonly secretNames = new Set<string>();

  constructor(readonly opts: CompileOptions) {
    const target = opts.target ?? "local";
    const facts = opts.facts[target];
    if (facts === undefined) throw new Error(`facts for target '${target}' are required`);
    this.scopes = new ScopeTable(facts, opts.cliVars);
  }

  // ---- the walk: a list, and the dispatch of one item to its kind -----------------------

  expandList(
    items: readonly StepNode[],
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    let exits = prev;
    let current = scope;
    const exported: Record<string, unknown> = {};
    for (const node of items) {
      const r = this.expandItem(node, frame, inherited, current, exits);
      exits = r.exits;
      current = r.scope;
      Object.assign(exported, r.exported);
    }
    return { exits, scope: current, exported };
  }

  /** One validated step (src/schema decided what its fields mean), by its kind. */
  expandItem(
    node: StepNode,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    switch (node.kind) {
      case "include":
        return expandInclude(this, node, frame, inherited, scope, prev);
      case "preset":
        return expandPreset(this, node, frame, inherited, scope, prev);
      case "include_vars":
        return expandIncludeVars(this, node, frame, scope, prev);
      case "block":
        return expandBlock(this, node, frame, inherited, scope, prev);
      case "parallel":
        return expandParallel(this, node, frame, inherited, scope, prev);
      case "vars":
        return expandVars(this, node, frame, scope, prev);
      case "action": {
        const exits = expandAction(this, node, frame, inherited, scope, prev, this.pending);
        return { exits, scope, exported: {} };
      }
    }
  }

  // ---- helpers shared by every kind ------------------------------------------------------

  /**
   * What `step` passes to its children. A group (include, block, parallel) passes its
   * own `when` and `env` down; an action step renders those itself, so for it only
   * tags and become are merged.
   */
  inheritFrom(step: StepBase & ExecFields, inherited: Inherited, isGroup: boolean): Inherited {
    const env = isGroup ? { ...inherited.env, ...step.env } : inherited.env;
    return {
      when: isGroup ? [...inherited.when, ...whenList(step.when)] : inherited.when,
      tags: uniq([...inherited.tags, ...step.tags]),
      become: step.become ?? inherited.become,
      becomeUser: step.become_user ?? inherited.becomeUser,
      env,
      block: inherited.block,
      group: inherited.group,
      loops: inherited.loops,
      idPrefix: inherited.idPrefix,
    };
  }

  rejectDeferred(
    deferred: Record<string, Deferred>,
    frame: Frame,
    path: DocPath,
    what: string,
  ): void {
    for (const [k, d] of Object.entries(deferred)) {
      this.error(
        frame,
        path,
        "runtime-value",
        `'${k}' reads ${d.needs.map((n) => `'${n}'`).join(", ")}, a registered (runtime) value, but ${what} is decided at plan time`,
        "use the registered value directly in the field of a later step",
      );
    }
  }

  /** The variables of a scope without facts (the layer `vars` steps build on). */
  ownVars(scope: Scope): Record<string, unknown> {
    const vars = this.scopes.entries[scope.index] ?? {};
    const own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) if (!Object.hasOwn(this.opts.cliVars, k)) own[k] = v;
    return own;
  }

  /** Records a file read as `text`; the view hashes its bytes, which the text may not round-trip. */
  addSource(file: string, text: string): void {
    this.sources.set(file, this.opts.fs.sha256(file) ?? sha256Hex(text));
  }

  loadFile(file: string, frame: Frame, path: DocPath, what: string): LoadedDoc | null {
    const text = this.opts.fs.readText(file);
    if (text === null) {
      this.error(frame, path, "missing-file", `${what} '${file}' not found`);
      return null;
    }
    this.addSource(file, text);
    const doc = loadYaml(file, text);
    if (doc.ok)
      for (const w of doc.value.warnings) this.opts.onWarning?.({ ...w, chain: [...frame.chain] });
    if (!doc.ok) {
      const here = this.pos(frame, path);
      this.diagnostics.push(...doc.error.map((d) => ({ ...d, chain: [...frame.chain, here] })));
      return null;
    }
    return doc.value;
  }

  site(
    frame: Frame,
    vars: Record<string, unknown>,
    deferred: Record<string, Deferred>,
    alsoFacts: Record<string, unknown>[] = [],
  ): RenderSite {
    return {
      locateInString: (p, offset, length) => frame.doc.locateInString(p, offset, length),
      runtime: this.runtime,
      scopes: this.scopes,
      vars,
      alsoFacts,
      env: this.opts.env,
      deferred,
      diagnostics: this.diagnostics,
      chain: frame.chain.map((c) => ({ ...c })),
      secretNames: this.secretNames,
    };
  }

  pos(frame: Frame, path: DocPath): SourcePos {
    return frame.doc.locate(path);
  }

  error(frame: Frame, path: DocPath, code: string, message: string, hint?: string): void {
    const d: Diagnostic = {
      severity: "error",
      code,
      message,
      pos: this.pos(frame, path),
      chain: frame.chain.map((c) => ({ ...c })),
    };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }
}
