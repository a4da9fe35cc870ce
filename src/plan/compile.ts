/**
 * `compile`: the pure planner's entry point (SPEC §2). Playbook text, a read-only file
 * view, facts and vars in; a deterministic, hashed Plan out, or every located
 * diagnostic found. Reads no clock, writes nothing, spawns nothing.
 */
import { posix } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import {
  PLAN_FORMAT_VERSION,
  type SecretSource,
  type Plan,
  type PlanPreset,
} from "../model/plan.js";
import type { Result } from "../model/result.js";
import { type ActionStep, didYouMean, type StepNode, validatePlaybook } from "../schema/index.js";
import { secretRef } from "../template/index.js";
import { jsonDigest } from "./digest.js";
import { topologicalOrder } from "./graph.js";
import type { CompileOptions } from "./inputs.js";
import { expandAction } from "./action-step.js";
import { type Frame, type Pending, ROOT_INHERITED } from "./frame.js";
import { Planner } from "./planner.js";
import { renderField } from "./render.js";
import { secretBindings } from "./secret-reads.js";
import { collectSecrets } from "./secret-sources.js";
import { finalizeIds } from "./step-ids.js";
import { loadYaml } from "./steps.js";

export function compile(opts: CompileOptions): Result<Plan, Diagnostic[]> {
  const text = opts.fs.readText(opts.root);
  if (text === null) {
    return fail([
      { severity: "error", code: "missing-file", message: `playbook '${opts.root}' not found` },
    ]);
  }
  const doc = loadYaml(opts.root, text);
  if (!doc.ok) return fail(doc.error);
  for (const w of doc.value.warnings) opts.onWarning?.(w);
  const checked = validatePlaybook(doc.value);
  if (!checked.ok) return fail(checked.error);
  const playbook = checked.value;

  const secrets = collectSecrets(playbook, opts.secrets);
  // An environment variable that is a secret's source is not readable at plan time:
  // `env('DB_PW')` would put its value in the plan. It reads as unset there.
  const planner = new Planner({ ...opts, env: withoutSecretEnv(opts.env, secrets) });
  planner.addSource(opts.root, text);
  const dir = posix.dirname(opts.root);
  const frame: Frame = {
    doc: doc.value,
    file: opts.root,
    dir: dir === "." ? "" : dir,
    chain: [],
    stack: [opts.root],
  };

  planner.secrets = secrets;
  for (const name of Object.keys(planner.secrets)) planner.secretNames.add(name);
  const refs = secretBindings(planner.secrets, secretRef);
  // Inventory vars sit under the playbook's vars (SPEC §1.4), secrets' references beside them.
  const below = { ...(opts.targetVars ?? {}), ...refs };
  const root = planner.scopes.create({
    ...below,
    ...renderPlaybookVars(planner, frame, playbook.vars, below),
  });
  planner.expandList(playbook.steps, frame, ROOT_INHERITED, root, []);
  const handlers = playbook.handlers.filter((h): h is ActionStep => h.kind === "action");
  for (const h of handlers)
    expandAction(planner, h, frame, ROOT_INHERITED, root, [], planner.handlers);
  const compensations = expandCompensations(planner);
  finalizeIds(planner, compensations);
  const index = reportIdClashes(planner, compensations);
  resolveNeeds(planner);
  resolveNotify(planner, handlers);
  if (planner.diagnostics.length > 0) return fail(planner.diagnostics);

  const all = [...planner.pending, ...compensations].map((p) => p.step);
  const order = topologicalOrder(all, index);
  if (!order.ok) {
    const first =
      planner.pending.find((p) => p.step.id === order.cycle[0] && p.explicitNeeds.ids.length > 0) ??
      planner.pending.find(
        (p) => order.cycle.includes(p.step.id) && p.explicitNeeds.ids.length > 0,
      );
    const message = `'needs' form a cycle: ${order.cycle.join(" → ")}`;
    if (first === undefined) return fail([{ severity: "error", code: "needs-cycle", message }]);
    planner.error(
      first.explicitNeeds.frame,
      first.explicitNeeds.path,
      "needs-cycle",
      message,
      "a step cannot wait, directly or through others, for itself",
    );
    return fail(planner.diagnostics);
  }
  const ordered = order.order.map((i, n) => {
    const s = all[i]!;
    s.seq = n + 1;
    return s;
  });
  const handlerSteps = planner.handlers.map((p, n) => {
    p.step.seq = ordered.length + n + 1;
    p.step.needs = [];
    return p.step;
  });

  const body = {
    format_version: PLAN_FORMAT_VERSION,
    root: opts.root,
    sources: [...planner.sources.entries()]
      .map(([path, sha256]) => ({ path, sha256 }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    ...presetsOf(planner),
    ...(Object.keys(planner.secrets).length === 0 ? {} : { secrets: planner.secrets }),
    facts: { [opts.target ?? "local"]: sortKeys(planner.scopes.factsUsed) },
    vars: planner.scopes.entries[0] ?? {},
    scopes: planner.scopes.entries,
    steps: ordered,
    handlers: handlerSteps,
    blocks: planner.blocks,
    on_failure: playbook.on_failure,
  };
  // The body's key order is fixed by construction (and JSON.parse keeps it), so plain
  // JSON.stringify is canonical here, and several times faster than sorting keys;
  // jsonDigest hashes that JSON without building it.
  const digest = `sha256:${jsonDigest(body)}`;
  const { format_version, ...rest } = body;
  return { ok: true, value: { format_version, digest, ...rest } };
}

/** Each preset once, in the order first expanded; no key at all when the plan uses none. */
function presetsOf(planner: Planner): { presets?: PlanPreset[] } {
  const seen = new Map<string, PlanPreset>();
  for (const p of planner.presetsUsed)
    if (!seen.has(p.name)) seen.set(p.name, { name: p.name, file: p.file });
  return seen.size === 0 ? {} : { presets: [...seen.values()] };
}

/** The diagnostics, each once: a mistake inside a loop is the same mistake in every iteration. */
function fail(diagnostics: Diagnostic[]): Result<Plan, Diagnostic[]> {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.pos]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ok: false, error: unique };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

/** Playbook vars may use facts, inventory vars, CLI vars and the vars written before them. */
function renderPlaybookVars(
  planner: Planner,
  frame: Frame,
  raw: Record<string, unknown>,
  below: Record<string, unknown>,
): Record<string, unknown> {
  const done: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const view = { ...below, ...done, ...planner.scopes.cliVarsView() };
    const site = planner.site(frame, view, {});
    done[k] = renderField(site, v, ["vars", k], `vars.${k}`);
  }
  return done;
}

/** Compensation steps live in the plan's step list, reachable only from their step's `compensate`. */
function expandCompensations(planner: Planner): Pending[] {
  const out: Pending[] = [];
  for (const p of planner.pending) {
    const c = p.compensate;
    if (c === null) continue;
    for (const item of c.items) {
      if (item.kind !== "action") {
        planner.error(
          c.frame,
          item.path,
          "no-action",
          "a compensation must be a step with an action",
        );
        continue;
      }
      const named: ActionStep =
        item.name === null ? { ...item, name: `undo ${p.step.name}` } : item;
      const before = out.length;
      expandAction(planner, named, c.frame, c.inherited, c.scope, [], out);
      // A new list: the iterations of a loop share an empty one (loop-fast.ts).
      p.step.compensate = [...p.step.compensate, ...out.slice(before).map((q) => q.step.id)];
    }
  }
  return out;
}

/** Explicit `needs`: a step id, or the id of a loop (all its iterations). */
function resolveNeeds(planner: Planner): void {
  if (planner.pending.every((p) => p.explicitNeeds.ids.length === 0)) return;
  const byBase = new Map<string, string[]>();
  for (const p of planner.pending) {
    const base = p.step.loop === null ? p.step.id : p.step.id.slice(0, p.step.id.lastIndexOf("["));
    const list = byBase.get(base);
    if (list === undefined) byBase.set(base, [p.step.id]);
    else list.push(p.step.id);
  }
  const ids = new Set(planner.pending.map((p) => p.step.id));
  for (const p of planner.pending) {
    for (const need of p.explicitNeeds.ids) {
      const targets = ids.has(need) ? [need] : byBase.get(need);
      if (targets === undefined) {
        const hint = didYouMean(need, byBase.keys()) ?? undefined;
        planner.error(
          p.explicitNeeds.frame,
          p.explicitNeeds.path,
          "unknown-step",
          `'needs' names unknown step '${need}'`,
          hint,
        );
        continue;
      }
      for (const t of targets)
        if (t !== p.step.id && !p.step.needs.includes(t)) p.step.needs.push(t);
    }
  }
}

function resolveNotify(planner: Planner, handlers: readonly StepNode[]): void {
  const byName = new Map<string, string[]>();
  planner.handlers.forEach((h) => {
    const node = handlers.find((r) => r.name === h.step.name || r.id === h.step.id);
    const names = [h.step.id, h.step.name, ...(node?.kind === "action" ? node.listen : [])];
    for (const n of names) {
      const list = byName.get(n);
      if (list === undefined) byName.set(n, [h.step.id]);
      else if (!list.includes(h.step.id)) list.push(h.step.id);
    }
  });
  for (const p of planner.pending) {
    if (p.notifyNames.names.length === 0) continue;
    // A new list: the iterations of a loop share an empty one (loop-fast.ts).
    const notify = [...p.step.notify];
    p.step.notify = notify;
    for (const name of p.notifyNames.names) {
      const ids = byName.get(name);
      if (ids === undefined) {
        planner.error(
          p.notifyNames.frame,
          p.notifyNames.path,
          "unknown-handler",
          `'notify' names unknown handler '${name}'`,
          didYouMean(name, byName.keys()) ?? undefined,
        );
        continue;
      }
      for (const id of ids) if (!notify.includes(id)) notify.push(id);
    }
  }
}

/**
 * Final ids must be unique. Derived ids never clash, but a user `id:` can equal an id
 * cairn gives a loop iteration (`install[0]`): report it at that `id:`. Returns the
 * position of each id among the steps and then the compensations (the graph's nodes).
 */
function reportIdClashes(planner: Planner, compensations: Pending[]): Map<string, number> {
  const index = new Map<string, number>();
  const handlers = new Set<string>();
  let n = 0;
  for (const list of [planner.pending, planner.handlers, compensations]) {
    const isHandler = list === planner.handlers;
    for (const p of list) {
      const { id } = p.step;
      if (handlers.size > 0 && handlers.has(id)) reportClash(planner, p);
      else if (isHandler) {
        if (index.has(id)) reportClash(planner, p);
        else handlers.add(id);
      } else {
        // One lookup: a set that does not grow the map found the id there already.
        const size = index.size;
        index.set(id, n);
        if (index.size === size) reportClash(planner, p);
      }
      if (!isHandler) n++;
    }
  }
  return index;
}

function reportClash(planner: Planner, p: Pending): void {
  const path = p.explicitNeeds.path.slice(0, -1);
  const where = p.base.derived ? path : [...path, "id"];
  planner.error(
    p.explicitNeeds.frame,
    where,
    "duplicate-id",
    `step id '${p.step.id}' is used twice`,
    "give one of them another id:",
  );
}

function withoutSecretEnv(
  env: CompileOptions["env"],
  secrets: Record<string, SecretSource>,
): CompileOptions["env"] {
  const hidden = Object.values(secrets).flatMap((s) => ("env" in s ? [s.env] : []));
  if (hidden.length === 0) return env;
  const out = { ...env };
  for (const name of hidden) delete out[name];
  return out;
}
