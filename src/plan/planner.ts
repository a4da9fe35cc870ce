/**
 * The expansion walk of the pure planner: includes, vars, loops, blocks, parallel
 * groups and action steps become a flat list of PlanSteps with DAG edges. Each list is
 * expanded in order; `prev` carries the exits of what came before (the steps the next
 * one needs), so sequence, parallel groups and blocks all reduce to edges.
 */
import { posix } from "node:path";
import type { LoadedDoc } from "../load/index.js";
import type { Diagnostic, SourcePos } from "../model/diagnostic.js";
import type {
  BlockRef,
  Deferred,
  LoopContext,
  OriginFrame,
  PlanBlock,
  PlanStep,
} from "../model/plan.js";
import {
  type TemplateError,
  checkNamesOfTemplate,
  evalExpression,
  freeVariablesOfExpression,
  freeVariablesOfTemplate,
  isTemplated,
  truthy,
} from "../template/index.js";
import { slugify, IdAllocator } from "./ids.js";
import type { CompileOptions } from "./inputs.js";
import { numericMode } from "../schema/index.js";
import { buildPolicy, type PolicyProblem } from "./policy.js";
import { renderField, type DocPath, type RenderSite, templateDiagnostic } from "./render.js";
import { type Scope, ScopeTable } from "./scope.js";
import { tagFilterReason } from "./tags.js";
import {
  ACTION_NAMES,
  defaultName,
  loadTaskDocument,
  loadYaml,
  normalizeArgs,
  PATH_ARGS,
  type StepRecord,
} from "./steps.js";
import {
  describe,
  expressionText,
  lineAndColumn,
  isParallelMap,
  isRecord,
  loopVars,
  resolvePath,
  stringList,
  stringRecord,
  treeFingerprint,
  uniq,
  whenEntries,
  whenList,
} from "./util.js";
import { checkDeferred } from "./check-deferred.js";

/** Where a list of steps lives: its document and the include chain that led to it. */
/** Provisional ids are `\u0001<n>\u0002` until finalizeIds; no user id contains these. */
const TOKEN_START = "\u0001";
const TOKEN_END = "\u0002";

export interface Frame {
  doc: LoadedDoc;
  file: string;
  dir: string;
  chain: OriginFrame[];
  /** Files being included right now, outermost first, for cycle detection. */
  stack: string[];
}

/** What a group passes down to its children (SPEC §1.2: when, tags, become, env). */
export interface Inherited {
  when: string[];
  tags: string[];
  become: boolean | null;
  becomeUser: string | null;
  env: Record<string, string>;
  block: BlockRef | null;
  group: { id: string; max: number | null } | null;
  /** The iteration of each enclosing looped include, outermost first (ids get `[i]` each). */
  loops: LoopContext[];
}

interface ListResult {
  exits: string[];
  scope: Scope;
  exported: Record<string, unknown>;
}

/** A step generated before ids of `needs`/`notify` are resolved. */
export interface Pending {
  step: PlanStep;
  /** The id before any `[index]`; `derived` unless the playbook gave it with `id:`. */
  base: { id: string; derived: boolean };
  explicitNeeds: { ids: string[]; path: DocPath; frame: Frame };
  notifyNames: { names: string[]; path: DocPath; frame: Frame };
  compensate: {
    items: StepRecord[];
    path: DocPath;
    frame: Frame;
    scope: Scope;
    inherited: Inherited;
  } | null;
}

export const ROOT_INHERITED: Inherited = {
  when: [],
  tags: [],
  become: null,
  becomeUser: null,
  env: {},
  block: null,
  group: null,
  loops: [],
};

export class Planner {
  readonly diagnostics: Diagnostic[] = [];
  readonly sources = new Map<string, string>();
  readonly pending: Pending[] = [];
  readonly handlers: Pending[] = [];
  readonly blocks: PlanBlock[] = [];
  readonly scopes: ScopeTable;
  /** Names registered by steps seen so far (document order): runtime values from here on. */
  private readonly runtime = new Set<string>();
  /** Base ids of steps inside looped includes, by where they are written (see baseId). */
  private readonly loopBases = new Map<string, { id: string; derived: boolean }>();
  /** Every user `id:` seen, and the name behind each provisional id token (see baseId). */
  private readonly userIds = new Set<string>();
  private readonly tokens = new Map<string, string>();
  private blockCount = 0;

  constructor(private readonly opts: CompileOptions) {
    const local = opts.facts.local;
    if (local === undefined) throw new Error("facts for target 'local' are required");
    this.scopes = new ScopeTable(local, opts.cliVars);
  }

  // ---- lists and directives -------------------------------------------------------

  expandList(
    items: readonly unknown[],
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    let exits = prev;
    let current = scope;
    const exported: Record<string, unknown> = {};
    items.forEach((raw, i) => {
      const itemPath = [...path, i];
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        this.error(frame, itemPath, "type", "a step must be a mapping");
        return;
      }
      const step = raw as StepRecord;
      const r = this.expandItem(step, itemPath, frame, inherited, current, exits);
      exits = r.exits;
      current = r.scope;
      Object.assign(exported, r.exported);
    });
    return { exits, scope: current, exported };
  }

  private expandItem(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    const action = ACTION_NAMES.find((a) => Object.hasOwn(step, a));
    if (action === undefined) {
      if (Object.hasOwn(step, "include"))
        return this.expandInclude(step, path, frame, inherited, scope, prev);
      if (Object.hasOwn(step, "include_vars"))
        return this.expandIncludeVars(step, path, frame, scope, prev);
      if (Object.hasOwn(step, "block"))
        return this.expandBlock(step, path, frame, inherited, scope, prev);
      if (Array.isArray(step.parallel) || isParallelMap(step.parallel))
        return this.expandParallel(step, path, frame, inherited, scope, prev);
      if (Object.hasOwn(step, "vars")) return this.expandVars(step, path, frame, scope, prev);
      this.error(
        frame,
        path,
        "no-action",
        "step has no action",
        "add one of: shell, command, file, template, print",
      );
      return { exits: prev, scope, exported: {} };
    }
    this.expandAction(step, action, path, frame, inherited, scope, prev, this.pending);
    return { exits: this.lastExits, scope, exported: {} };
  }

  /** A `when` on a compile-time directive must be decidable now; returns its verdict. */
  private planTimeWhen(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    scope: Scope,
    what: string,
  ): boolean {
    if (step.when === undefined || step.when === null) return true;
    const parts = whenList(step.when);
    for (const expr of parts) {
      const fv = freeVariablesOfExpression(expr);
      const report = (e: TemplateError) =>
        this.diagnostics.push(
          templateDiagnostic(this.site(frame, scope.view, {}), [...path, "when"], e, "in 'when'"),
        );
      if (!fv.ok) {
        report(fv.error);
        return false;
      }
      const runtime = fv.value.filter((n) => this.runtime.has(n));
      if (runtime.length > 0) {
        this.error(
          frame,
          [...path, "when"],
          "runtime-when",
          `the 'when' of ${what} reads ${runtime.map((n) => `'${n}'`).join(", ")}, a registered (runtime) value, but ${what} is decided at plan time`,
          "move the condition onto the steps themselves, or use a plan-time variable",
        );
        return false;
      }
      this.scopes.ensureFacts(fv.value, [scope.view]);
      const v = evalExpression(expr, scope.view, { env: this.opts.env });
      if (!v.ok) {
        report(v.error);
        return false;
      }
      if (!truthy(v.value)) return false;
    }
    return true;
  }

  private expandVars(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    scope: Scope,
    prev: string[],
  ): ListResult {
    if (!this.planTimeWhen(step, path, frame, scope, "a vars step"))
      return { exits: prev, scope, exported: {} };
    const site = this.site(frame, scope.view, {});
    const values = renderField(site, step.vars ?? {}, [...path, "vars"], "vars") as Record<
      string,
      unknown
    >;
    this.rejectDeferred(site.deferred, frame, path, "vars");
    const next = this.scopes.create({ ...this.ownVars(scope), ...values });
    return { exits: prev, scope: next, exported: step.export === true ? values : {} };
  }

  private expandIncludeVars(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    scope: Scope,
    prev: string[],
  ): ListResult {
    if (!this.planTimeWhen(step, path, frame, scope, "include_vars"))
      return { exits: prev, scope, exported: {} };
    const site = this.site(frame, scope.view, {});
    const target = renderField(site, step.include_vars, [...path, "include_vars"], "include_vars");
    this.rejectDeferred(site.deferred, frame, path, "include_vars");
    if (typeof target !== "string") return { exits: prev, scope, exported: {} };
    const file = resolvePath(frame.dir, target);
    const loaded = this.loadFile(file, frame, [...path, "include_vars"], "vars file");
    if (loaded === null) return { exits: prev, scope, exported: {} };
    const values = loaded.value ?? {};
    if (typeof values !== "object" || Array.isArray(values)) {
      this.error(
        frame,
        [...path, "include_vars"],
        "type",
        `vars file '${file}' must hold a mapping of variables`,
      );
      return { exits: prev, scope, exported: {} };
    }
    const next = this.scopes.create({
      ...this.ownVars(scope),
      ...(values as Record<string, unknown>),
    });
    return {
      exits: prev,
      scope: next,
      exported: step.export === true ? (values as Record<string, unknown>) : {},
    };
  }

  private expandInclude(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    const iterations = this.loopItems(step, path, frame, scope);
    if (iterations === null) return { exits: prev, scope, exported: {} };
    let exits = prev;
    let exported: Record<string, unknown> = {};
    for (const loop of iterations) {
      const iterScope =
        loop === null ? scope : this.scopes.create({ ...this.ownVars(scope), ...loopVars(loop) });
      const site = this.site(frame, iterScope.view, {});
      const target = renderField(site, step.include, [...path, "include"], "include");
      this.rejectDeferred(site.deferred, frame, path, "include");
      if (typeof target !== "string") continue;
      const file = resolvePath(frame.dir, target);
      const here = this.pos(frame, path);
      if (frame.stack.includes(file)) {
        const cycle = [...frame.stack, file].join(" → ");
        this.error(frame, [...path, "include"], "include-cycle", `include cycle: ${cycle}`);
        continue;
      }
      const doc = this.loadFile(file, frame, [...path, "include"], "included file");
      if (doc === null) continue;
      const list = loadTaskDocument(doc);
      if (!list.ok) {
        this.diagnostics.push(...list.error.map((d) => ({ ...d, chain: [...frame.chain, here] })));
        continue;
      }
      const child: Frame = {
        doc,
        file,
        dir: posix.dirname(file) === "." ? "" : posix.dirname(file),
        chain: [...frame.chain, { file: here.file, line: here.line, column: here.column }],
        stack: [...frame.stack, file],
      };
      let childScope = iterScope;
      if (list.value.vars !== null)
        childScope = this.scopes.create({ ...this.ownVars(iterScope), ...list.value.vars });
      const childInherited = this.inheritFrom(step, inherited, true);
      if (loop !== null) childInherited.loops = [...inherited.loops, loop];
      const r = this.expandList(
        list.value.steps,
        list.value.path,
        child,
        childInherited,
        childScope,
        exits,
      );
      exits = r.exits;
      exported = { ...exported, ...r.exported };
    }
    const next =
      Object.keys(exported).length > 0
        ? this.scopes.create({ ...this.ownVars(scope), ...exported })
        : scope;
    return { exits, scope: next, exported: step.export === true ? exported : {} };
  }

  private expandBlock(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    this.blockCount += 1;
    const id =
      typeof step.id === "string"
        ? step.id
        : `block-${slugify(String(step.name ?? frame.file))}-${this.blockCount}`;
    const block: PlanBlock = {
      id,
      parent: inherited.block?.id ?? null,
      main: [],
      rescue: [],
      always: [],
    };
    this.blocks.push(block);
    const base = this.inheritFrom(step, inherited, true);
    const before = this.pending.length;
    const section = (
      key: "block" | "rescue" | "always",
      role: "main" | "rescue" | "always",
      from: string[],
      s: Scope,
    ) => {
      const list = step[key];
      if (!Array.isArray(list)) return { exits: from, scope: s, exported: {} };
      const start = this.pending.length;
      const r = this.expandList(
        list,
        [...path, key],
        frame,
        { ...base, block: { id, role } },
        s,
        from,
      );
      block[role].push(...this.pending.slice(start).map((p) => p.step.id));
      return r;
    };
    const main = section("block", "main", prev, scope);
    const rescue = section("rescue", "rescue", main.exits, main.scope);
    const always = section(
      "always",
      "always",
      uniq([...main.exits, ...rescue.exits]),
      rescue.scope,
    );
    if (this.pending.length === before) this.blocks.pop();
    if (block.parent !== null) {
      const parent = this.blocks.find((b) => b.id === block.parent);
      const role = inherited.block?.role;
      if (parent !== undefined && role !== undefined)
        parent[role].push(...block.main, ...block.rescue, ...block.always);
    }
    return { exits: always.exits, scope: always.scope, exported: {} };
  }

  private expandParallel(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
  ): ListResult {
    const spec = step.parallel;
    const children = Array.isArray(spec)
      ? spec
      : ((spec as Record<string, unknown>).steps as unknown[]);
    const childPath = Array.isArray(spec) ? [...path, "parallel"] : [...path, "parallel", "steps"];
    const maxRaw = Array.isArray(spec) ? step.max : (spec as Record<string, unknown>).max;
    const max = typeof maxRaw === "number" ? maxRaw : null;
    const groupId = `${typeof step.id === "string" ? step.id : slugify(String(step.name ?? "parallel"))}@${this.pos(frame, path).line}`;
    const base = this.inheritFrom(step, inherited, true);
    const child = { ...base, group: max === null ? base.group : { id: groupId, max } };
    const exits: string[] = [];
    children.forEach((c, i) => {
      if (c === null || typeof c !== "object" || Array.isArray(c)) {
        this.error(frame, [...childPath, i], "type", "a step must be a mapping");
        return;
      }
      const r = this.expandItem(c as StepRecord, [...childPath, i], frame, child, scope, prev);
      exits.push(...r.exits);
    });
    return { exits: uniq(exits), scope, exported: {} };
  }

  // ---- action steps ------------------------------------------------------------------

  /** Exits of the last expandAction call (its iterations). */
  private lastExits: string[] = [];

  expandAction(
    step: StepRecord,
    action: string,
    path: DocPath,
    frame: Frame,
    inherited: Inherited,
    scope: Scope,
    prev: string[],
    into: Pending[],
  ): void {
    const iterations = this.loopItems(step, path, frame, scope);
    if (iterations === null) {
      this.lastExits = prev;
      return;
    }
    const own = this.inheritFrom(step, inherited, false);
    const loopParallel = typeof step.parallel === "number" ? step.parallel : null;
    const base = this.baseId(step, action, path, frame, own.loops);
    const baseId = base.id + own.loops.map((l) => `[${l.index}]`).join("");
    const group =
      loopParallel !== null && iterations.length > 1
        ? { id: baseId, max: loopParallel }
        : own.group;
    const exits: string[] = [];
    let chainPrev = prev;
    const stepScope =
      step.vars !== null && typeof step.vars === "object" && !Array.isArray(step.vars)
        ? this.scopes.create({
            ...this.ownVars(scope),
            ...this.renderPlain(step.vars, [...path, "vars"], frame, scope),
          })
        : scope;
    for (const loop of iterations) {
      const vars = loop === null ? stepScope.view : { ...stepScope.view, ...loopVars(loop) };
      const needs = loopParallel !== null ? prev : chainPrev;
      const id = loop === null ? baseId : `${baseId}[${loop.index}]`;
      const context = loop ?? own.loops[own.loops.length - 1] ?? null;
      const planStep = this.buildStep(
        step,
        action,
        id,
        path,
        frame,
        own,
        stepScope,
        vars,
        context,
        needs,
      );
      planStep.group = group;
      into.push({
        step: planStep,
        base,
        explicitNeeds: { ids: stringList(step.needs), path: [...path, "needs"], frame },
        notifyNames: { names: stringList(step.notify), path: [...path, "notify"], frame },
        compensate:
          step.compensate === undefined || step.compensate === null
            ? null
            : {
                items: (Array.isArray(step.compensate)
                  ? step.compensate
                  : [step.compensate]) as StepRecord[],
                path: [...path, "compensate"],
                frame,
                scope: stepScope,
                inherited: {
                  ...ROOT_INHERITED,
                  become: own.become,
                  becomeUser: own.becomeUser,
                  env: own.env,
                },
              },
      });
      exits.push(id);
      chainPrev = [id];
    }
    if (typeof step.register === "string") this.runtime.add(step.register);
    this.lastExits = loopParallel !== null ? exits : chainPrev;
  }

  private buildStep(
    step: StepRecord,
    action: string,
    id: string,
    path: DocPath,
    frame: Frame,
    own: Inherited,
    scope: Scope,
    vars: Record<string, unknown>,
    loop: LoopContext | null,
    needs: string[],
  ): PlanStep {
    const deferred: Record<string, Deferred> = {};
    const site = this.site(frame, vars, deferred, [scope.view]);
    const normalized = normalizeArgs(action, step[action]);
    const argPath = normalized.scalar ? [...path, action] : null;
    const rendered =
      typeof step.name === "string"
        ? renderField(site, step.name, [...path, "name"], "name")
        : null;
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(normalized.args)) {
      args[k] = renderField(site, v, argPath ?? [...path, action, k], `args.${k}`);
    }
    const name = rendered ?? defaultName(action, args);
    if (typeof args.mode === "number") {
      // YAML 1.2 reads 0644 as 644 and 0o644 as 420: the source text tells which was meant.
      args.mode =
        numericMode(args.mode, frame.doc.scalarSource([...path, action, "mode"])) ?? args.mode;
    }
    this.resolveArgPaths(action, args, deferred, frame, loop, path);
    const origin = this.pos(frame, path);
    const exec = {
      env: this.renderEnv(site, own.env, step.env, path),
      cwd:
        typeof step.cwd === "string"
          ? String(renderField(site, step.cwd, [...path, "cwd"], "exec.cwd"))
          : null,
      become: own.become ?? false,
      become_user:
        own.becomeUser === null
          ? null
          : String(renderField(site, own.becomeUser, [...path, "become_user"], "exec.become_user")),
    };
    const problems: PolicyProblem[] = [];
    const policyFields: StepRecord = {};
    for (const k of [
      "timeout",
      "retries",
      "retry_delay",
      "retry",
      "ignore_errors",
      "deadline",
      "breaker",
    ]) {
      if (step[k] !== undefined) policyFields[k] = renderField(site, step[k], [...path, k], k);
    }
    const policy = buildPolicy(policyFields, problems);
    for (const p of problems)
      this.error(frame, [...path, p.field.split(".")[0]!], "type", p.message);
    for (const k of Object.keys(deferred)) {
      if (!k.startsWith("args.") && !k.startsWith("exec.") && k !== "name") {
        this.error(
          frame,
          [...path, k.split(".")[0]!],
          "runtime-value",
          `'${k}' must be known at plan time`,
        );
      }
    }
    const whenParts = [...own.when];
    const skipped = this.decideSkip(step, path, own, vars, site, whenParts);
    const stringField = (k: "creates" | "unless") =>
      typeof step[k] === "string" ? String(renderField(site, step[k], [...path, k], k)) : null;
    const creates = stringField("creates");
    const unless = stringField("unless");
    const ownResult = new Set([
      "result",
      ...(typeof step.register === "string" ? [step.register] : []),
    ]);
    for (const k of ["changed_when", "failed_when"] as const)
      this.checkExpression(step[k], [...path, k], site, k, ownResult);
    return {
      id,
      seq: 0,
      name: typeof name === "string" ? name : String(name),
      target: "local",
      action,
      args,
      deferred,
      when:
        whenParts.length === 0
          ? null
          : whenParts.length === 1
            ? whenParts[0]!
            : whenParts.map((w) => `(${w})`).join(" and "),
      changed_when: expressionText(step.changed_when),
      failed_when: expressionText(step.failed_when),
      creates,
      unless,
      register: typeof step.register === "string" ? step.register : null,
      check_mode: typeof step.check_mode === "boolean" ? step.check_mode : null,
      exec,
      needs: [...needs],
      origin: { file: origin.file, line: origin.line, column: origin.column, chain: frame.chain },
      loop,
      tags: own.tags,
      skipped,
      policy,
      block: own.block,
      compensate: [],
      notify: [],
      scope: scope.index,
      group: own.group,
    };
  }

  /**
   * Tag filtering and plan-time `when` (SPEC §1.2). `whenParts` comes in holding the
   * inherited conditions and leaves holding every condition the driver evaluates.
   * A condition that reads only plan-time values is decided now: false marks the
   * step skipped in the plan.
   */
  private decideSkip(
    step: StepRecord,
    path: DocPath,
    own: Inherited,
    vars: Record<string, unknown>,
    site: RenderSite,
    whenParts: string[],
  ): { reason: string } | null {
    const inheritedCount = whenParts.length;
    const conditions = [
      ...whenParts.map((expr) => ({ expr, offset: 0 })),
      ...whenEntries(step.when),
    ];
    whenParts.length = 0;
    let reason: string | null = tagFilterReason(own.tags, this.opts.tags, this.opts.skipTags);
    for (const [i, { expr, offset }] of conditions.entries()) {
      const fromStep = i >= inheritedCount;
      const wpath = fromStep ? [...path, "when"] : path;
      const at = <E extends { offset: number }>(e: E): E => ({ ...e, offset: e.offset + offset });
      const fv = freeVariablesOfExpression(expr);
      if (!fv.ok) {
        if (fromStep)
          this.diagnostics.push(templateDiagnostic(site, wpath, at(fv.error), "in 'when'"));
        continue;
      }
      this.scopes.ensureFacts(fv.value, [vars, ...site.alsoFacts]);
      whenParts.push(expr);
      if (fv.value.some((n) => this.runtime.has(n))) {
        if (fromStep)
          checkDeferred(site, {
            kind: "expression",
            text: expr,
            offset,
            path: wpath,
            what: "in 'when'",
          });
        continue;
      }
      if (reason !== null) continue;
      const v = evalExpression(expr, vars, { env: this.opts.env });
      if (!v.ok) {
        this.diagnostics.push(templateDiagnostic(site, wpath, at(v.error), "in 'when'"));
        continue;
      }
      if (!truthy(v.value)) reason = expr === "False" ? "when: false" : `when: ${expr} is false`;
    }
    return reason === null ? null : { reason };
  }

  // ---- helpers -------------------------------------------------------------------------

  /**
   * changed_when/failed_when run after the step, with `result` (and the step's own
   * register name) bound: they are checked, never evaluated, at plan time.
   */
  private checkExpression(
    value: unknown,
    path: DocPath,
    site: RenderSite,
    what: string,
    extra: ReadonlySet<string>,
  ): void {
    for (const { expr, offset } of whenEntries(value ?? [])) {
      const fv = freeVariablesOfExpression(expr);
      if (!fv.ok) {
        site.diagnostics.push(
          templateDiagnostic(
            site,
            path,
            { ...fv.error, offset: fv.error.offset + offset },
            `in '${what}'`,
          ),
        );
        continue;
      }
      this.scopes.ensureFacts(fv.value, [site.vars, ...site.alsoFacts]);
      checkDeferred(site, {
        kind: "expression",
        text: expr,
        offset,
        path,
        what: `in '${what}'`,
        extra,
      });
    }
  }

  private renderEnv(
    site: RenderSite,
    inheritedEnv: Record<string, string>,
    own: unknown,
    path: DocPath,
  ): Record<string, string> {
    const env: Record<string, string> = { ...inheritedEnv };
    if (own !== null && typeof own === "object" && !Array.isArray(own)) {
      for (const [k, v] of Object.entries(own)) {
        const r = renderField(
          site,
          v === null ? "" : typeof v === "string" ? v : String(v),
          [...path, "env", k],
          `exec.env.${k}`,
        );
        env[k] = typeof r === "string" ? r : JSON.stringify(r);
      }
    }
    return env;
  }

  /** Relative `src` paths are relative to the file that says them; the plan keeps them relative to the root. */
  private resolveArgPaths(
    action: string,
    args: Record<string, unknown>,
    deferred: Record<string, Deferred>,
    frame: Frame,
    loop: LoopContext | null,
    path: DocPath,
  ): void {
    const field = PATH_ARGS[action];
    if (field === undefined) return;
    const value = args[field];
    if (typeof value !== "string" || deferred[`args.${field}`] !== undefined) return;
    const fromTree =
      loop?.type === "with_filetree" && (loop.item as { src?: unknown }).src === value;
    const resolved = fromTree ? value : resolvePath(frame.dir, value);
    args[field] = resolved;
    if (action === "template") {
      const text = this.opts.fs.readText(resolved);
      if (text === null) {
        this.error(
          frame,
          [...path, action, field],
          "missing-file",
          `template '${resolved}' not found`,
        );
        return;
      }
      this.sources.set(resolved, text);
      // The template is rendered when the step runs; the facts it reads must be in the
      // plan, and a syntax error in it is found now, at its line in the template file.
      const fv = freeVariablesOfTemplate(text);
      const names = fv.ok ? checkNamesOfTemplate(text) : fv;
      if (fv.ok) this.scopes.ensureFacts(fv.value, []);
      if (!names.ok) {
        const here = this.pos(frame, path);
        const e = names.error;
        const at = lineAndColumn(text, e.offset);
        this.diagnostics.push({
          severity: "error",
          code: `template-${e.code}`,
          message: `in template '${resolved}': ${e.message}`,
          ...(e.hint === undefined ? {} : { hint: e.hint }),
          pos: { file: resolved, ...at, length: Math.max(1, e.length) },
          chain: [...frame.chain, { file: here.file, line: here.line, column: here.column }],
        });
      }
    } else if (action === "copy") {
      const text = this.opts.fs.readText(resolved);
      if (text !== null) this.sources.set(resolved, text);
      else if (this.opts.fs.walk(resolved) !== null) {
        this.error(
          frame,
          [...path, action, field],
          "unsupported",
          `copy of a directory ('${resolved}') is not supported yet`,
          "copy its files with a step using 'with_filetree: <dir>' and 'src: \"{{ item.src }}\"'",
        );
      }
    }
  }

  /** Evaluates a bare expression at plan time; a runtime read is recorded as deferred. */
  private bareExpression(expr: string, path: DocPath, site: RenderSite): unknown {
    const fv = freeVariablesOfExpression(expr);
    if (!fv.ok) {
      site.diagnostics.push(templateDiagnostic(site, path, fv.error, "in 'with_items'"));
      return null;
    }
    const waits = fv.value.filter((n) => this.runtime.has(n));
    if (waits.length > 0) {
      site.deferred.with_items = { template: expr, needs: waits };
      return null;
    }
    this.scopes.ensureFacts(fv.value, [site.vars, ...site.alsoFacts]);
    const v = evalExpression(expr, site.vars, { env: this.opts.env });
    if (!v.ok) {
      site.diagnostics.push(templateDiagnostic(site, path, v.error, "in 'with_items'"));
      return null;
    }
    return v.value;
  }

  private loopItems(
    step: StepRecord,
    path: DocPath,
    frame: Frame,
    scope: Scope,
  ): (LoopContext | null)[] | null {
    if (step.with_items !== undefined && step.with_items !== null) {
      const before = this.diagnostics.length;
      const site = this.site(frame, scope.view, {});
      const raw = step.with_items;
      const wpath = [...path, "with_items"];
      // SPEC §1.2: a list, a "{{ }}" template, or a bare expression (`with_items: users`).
      const value =
        typeof raw === "string" && !isTemplated(raw)
          ? this.bareExpression(raw, wpath, site)
          : renderField(site, raw, wpath, "with_items");
      if (Object.keys(site.deferred).length > 0) {
        this.error(
          frame,
          wpath,
          "runtime-loop",
          "with_items reads a registered (runtime) value, but loops are expanded at plan time",
          "loop over a plan-time variable; every iteration must be known before the run",
        );
        return null;
      }
      if (this.diagnostics.length > before) return null;
      if (!Array.isArray(value)) {
        this.error(frame, wpath, "type", `with_items must give a list, got ${describe(value)}`);
        return null;
      }
      return value.map((item, index) => ({
        type: "with_items",
        item,
        index,
        first: index === 0,
        last: index === value.length - 1,
      }));
    }
    if (step.with_filetree !== undefined && step.with_filetree !== null) {
      const site = this.site(frame, scope.view, {});
      const value = renderField(
        site,
        step.with_filetree,
        [...path, "with_filetree"],
        "with_filetree",
      );
      if (typeof value !== "string") return null;
      const dir = resolvePath(frame.dir, value);
      const entries = this.opts.fs.walk(dir);
      if (entries === null) {
        this.error(
          frame,
          [...path, "with_filetree"],
          "missing-file",
          `directory '${dir}' not found`,
        );
        return null;
      }
      const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      this.sources.set(`${dir}/`, treeFingerprint(sorted));
      return sorted.map((e, index) => ({
        type: "with_filetree",
        item: {
          src: posix.join(dir, e.path),
          path: e.path,
          name: e.name,
          is_dir: e.is_dir,
          size: e.size,
          mode: e.mode,
        },
        index,
        first: index === 0,
        last: index === sorted.length - 1,
      }));
    }
    return [null];
  }

  /**
   * The id of a step before `[index]` suffixes, as a provisional token: final ids are
   * assigned by finalizeIds once every user `id:` is known, so that a user id wins
   * over a derived one wherever they are written (SPEC §2.3). Every iteration of a
   * looped include shares one base per step (its ids differ by the include's `[i]`),
   * so the base is remembered by where the step is written and how it was included.
   */
  private baseId(
    step: StepRecord,
    action: string,
    path: DocPath,
    frame: Frame,
    loops: LoopContext[],
  ): { id: string; derived: boolean } {
    const site = `${frame.chain.map((c) => `${c.file}:${c.line}:${c.column}`).join(">")}|${frame.file}|${path.join(".")}`;
    const known = loops.length > 0 ? this.loopBases.get(site) : undefined;
    if (known !== undefined) return known;
    let name: string;
    const derived = typeof step.id !== "string";
    if (typeof step.id === "string") {
      name = step.id;
      if (this.userIds.has(name)) {
        this.error(frame, [...path, "id"], "duplicate-id", `duplicate step id '${name}'`);
      }
      this.userIds.add(name);
    } else if (typeof step.name === "string") {
      name = slugify(step.name.replace(/\{\{.*?\}\}/g, ""));
    } else {
      name = `${action}-${slugify(frame.file)}`;
    }
    const base = { id: `${TOKEN_START}${this.tokens.size}${TOKEN_END}`, derived };
    this.tokens.set(base.id, name);
    if (loops.length > 0) this.loopBases.set(site, base);
    return base;
  }

  /**
   * Turns provisional id tokens into final ids: user ids as written, derived ones from
   * their slug with a numeric suffix only where taken (by a user id or an earlier
   * duplicate), in document order. Every reference (needs, groups, blocks,
   * compensations) follows.
   */
  finalizeIds(compensations: Pending[]): void {
    const ids = new IdAllocator();
    for (const id of this.userIds) ids.claim(id);
    const final = new Map<string, string>();
    const derivedTokens = new Set(
      [...this.pending, ...this.handlers, ...compensations]
        .filter((p) => p.base.derived)
        .map((p) => p.base.id),
    );
    for (const [token, name] of this.tokens)
      final.set(token, derivedTokens.has(token) ? ids.derive(name) : name);
    const rename = (id: string): string => {
      if (!id.startsWith(TOKEN_START)) return id;
      const end = id.indexOf(TOKEN_END);
      return (final.get(id.slice(0, end + 1)) ?? id) + id.slice(end + 1);
    };
    for (const p of [...this.pending, ...this.handlers, ...compensations]) {
      p.base = { ...p.base, id: rename(p.base.id) };
      p.step.id = rename(p.step.id);
      p.step.needs = p.step.needs.map(rename);
      p.step.compensate = p.step.compensate.map(rename);
      if (p.step.group !== null) p.step.group = { ...p.step.group, id: rename(p.step.group.id) };
    }
    for (const b of this.blocks) {
      b.main = b.main.map(rename);
      b.rescue = b.rescue.map(rename);
      b.always = b.always.map(rename);
    }
  }

  /**
   * What `step` passes to its children. A group (include, block, parallel) passes its
   * own `when` and `env` down; an action step renders those itself, so for it only
   * tags and become are merged.
   */
  private inheritFrom(step: StepRecord, inherited: Inherited, isGroup: boolean): Inherited {
    const env =
      isGroup && isRecord(step.env)
        ? { ...inherited.env, ...stringRecord(step.env) }
        : inherited.env;
    return {
      when: isGroup ? [...inherited.when, ...whenList(step.when)] : inherited.when,
      tags: uniq([...inherited.tags, ...stringList(step.tags)]),
      become: typeof step.become === "boolean" ? step.become : inherited.become,
      becomeUser: typeof step.become_user === "string" ? step.become_user : inherited.becomeUser,
      env,
      block: inherited.block,
      group: inherited.group,
      loops: inherited.loops,
    };
  }

  private renderPlain(
    value: unknown,
    path: DocPath,
    frame: Frame,
    scope: Scope,
  ): Record<string, unknown> {
    const site = this.site(frame, scope.view, {});
    const r = renderField(site, value, path, "vars");
    this.rejectDeferred(site.deferred, frame, path, "vars");
    return (r ?? {}) as Record<string, unknown>;
  }

  private rejectDeferred(
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
  private ownVars(scope: Scope): Record<string, unknown> {
    const vars = this.scopes.entries[scope.index] ?? {};
    const own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) if (!Object.hasOwn(this.opts.cliVars, k)) own[k] = v;
    return own;
  }

  private loadFile(file: string, frame: Frame, path: DocPath, what: string): LoadedDoc | null {
    const text = this.opts.fs.readText(file);
    if (text === null) {
      this.error(frame, path, "missing-file", `${what} '${file}' not found`);
      return null;
    }
    this.sources.set(file, text);
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
