/**
 * `register:` on a `- preset:` step. SPEC §1.8 is silent; the decision, in mooncake's
 * spirit (its preset action reports `changed` when any of its steps changed, and
 * `failed: false`), is that the preset registers one result:
 *
 *   {changed: any step of the preset changed, failed: false,
 *    msg: "preset 'NAME': N steps"}
 *
 * and, when the preset was skipped (its `when` was false), `{changed: false, skipped: true}`
 * like any skipped step. A preset is expanded at plan time into ordinary steps, so the
 * result comes from one more step at its end: a `print` (it changes nothing and runs
 * in --dry-run too) that needs every step of the preset, carries the preset's `when`,
 * tags and id (so `needs: <preset id>` waits for the whole preset), and whose
 * `changed_when` reads the results of the preset's steps. Steps without a `register:`
 * of their own register under a name of the form `_preset_N_M` for it; a step that
 * registers under its own name counts by that name's last result.
 */
import type { ActionStep, PresetStep } from "../schema/index.js";
import { expandAction } from "./action-step.js";
import type { Frame, Inherited } from "./frame.js";
import type { Planner } from "./planner.js";
import type { Scope } from "./scope.js";

const presetCount = new WeakMap<Planner, number>();

/** Adds the result step after the preset's steps (pending from `first` on); returns its exit. */
export function registerPresetResult(
  planner: Planner,
  step: PresetStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  first: number,
  exits: string[],
): string[] {
  const n = presetCount.get(planner) ?? 0;
  presetCount.set(planner, n + 1);
  const inner = planner.pending.slice(first);
  // One name per step as written (every iteration of a loop shares it: its `results`).
  const names = new Map<string, { name: string; loop: boolean }>();
  for (const p of inner) {
    const key = p.step.register ?? p.base.id;
    if (p.step.register === null) {
      const hidden = names.get(key)?.name ?? `_preset_${n}_${names.size}`;
      p.step.register = hidden;
      planner.runtime.add(hidden);
    }
    const seen = names.get(key);
    names.set(key, { name: p.step.register, loop: (seen?.loop ?? false) || p.step.loop !== null });
  }
  const changed = [...names.values()].map(({ name, loop }) =>
    loop
      ? `(${name}.results | selectattr('changed') | list | length > 0)`
      : `(${name}.changed is true)`,
  );
  const node: ActionStep = {
    kind: "action",
    path: step.path,
    name: step.name ?? `preset ${step.preset}`,
    id: step.id,
    tags: step.tags,
    when: step.when,
    needs: [],
    become: null,
    become_user: null,
    env: {},
    cwd: null,
    ignore_errors: null,
    key: "print",
    action: "print",
    args: { msg: `preset '${step.preset}': ${inner.length} step${inner.length === 1 ? "" : "s"}` },
    arg_paths: { msg: step.name_path },
    loop: null,
    loop_parallel: null,
    register: step.register,
    changed_when: [
      { source: changed.length === 0 ? "False" : changed.join(" or "), path: step.path },
    ],
    failed_when: [],
    creates: null,
    unless: null,
    removes: null,
    timeout_ms: null,
    deadline_ms: null,
    retry: null,
    breaker: null,
    compensate: [],
    notify: [],
    check_mode: null,
    listen: [],
    output_limit: null,
    register_full: false,
    durable: false,
    on_interrupt: null,
    ignore_unreachable: false,
    sensitive: null,
    no_log: null,
    run_once: false,
    delegate_to: null,
    throttle: null,
  };
  // The preset's own `when` is on the node; only what encloses the preset is inherited.
  return expandAction(planner, node, frame, inherited, scope, exits, planner.pending);
}
