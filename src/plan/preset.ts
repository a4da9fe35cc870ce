/**
 * `preset:` steps (SPEC §1.8): find the preset on the search path, check its
 * parameters, and expand its steps like an include — from the preset's own
 * directory, with `parameters` in scope, the include chain running through the
 * preset step, and ids under the preset step's id (`install-minio/…`).
 */
import { posix } from "node:path";
import type { PresetFile, PresetStep } from "../schema/index.js";
import { didYouMean, validatePresetFile } from "../schema/index.js";
import type { Frame, Inherited, ListResult } from "./frame.js";
import { slugify } from "./ids.js";
import { checkParameters } from "./preset-params.js";
import { registerPresetResult } from "./preset-result.js";
import type { Planner } from "./planner.js";
import { type DocPath, renderField } from "./render.js";
import type { Scope } from "./scope.js";
import { isRecord } from "./util.js";

/** Where a preset was found: its file, and the directory its relative paths start from. */
export interface FoundPreset {
  name: string;
  file: string;
  dir: string;
}

const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The directories searched, in order: `presets` beside the root playbook, then the given ones. */
export function presetSearchDirs(planner: Planner): string[] {
  const beside = posix.dirname(planner.opts.root);
  return [
    beside === "." ? "presets" : posix.join(beside, "presets"),
    ...(planner.opts.presetDirs ?? []),
  ];
}

/** First match wins: `DIR/NAME/preset.yml`, then `DIR/NAME.yml`, per directory. */
export function findPreset(
  planner: Planner,
  name: string,
): (FoundPreset & { text: string }) | null {
  for (const dir of presetSearchDirs(planner)) {
    const nested = posix.join(dir, name, "preset.yml");
    const text = planner.opts.fs.readText(nested);
    if (text !== null) return { name, file: nested, dir: posix.join(dir, name), text };
    const flat = posix.join(dir, `${name}.yml`);
    const flatText = planner.opts.fs.readText(flat);
    if (flatText !== null) return { name, file: flat, dir, text: flatText };
  }
  return null;
}

/** Names of the presets in the search path (for a did-you-mean when one is not found). */
function knownPresets(planner: Planner): string[] {
  const names = new Set<string>();
  for (const dir of presetSearchDirs(planner)) {
    for (const e of planner.opts.fs.walk(dir) ?? []) {
      const parts = e.path.split("/").filter((p) => p !== "");
      if (parts.length === 2 && parts[1] === "preset.yml") names.add(parts[0]!);
      else if (parts.length === 1 && !e.is_dir && e.name.endsWith(".yml"))
        names.add(e.name.slice(0, -4));
    }
  }
  return [...names];
}

export function expandPreset(
  planner: Planner,
  step: PresetStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  const nothing: ListResult = { exits: prev, scope, exported: {} };
  const { path, preset: name, name_path: namePath, with_path: withPath } = step;
  if (!PRESET_NAME.test(name)) {
    planner.error(
      frame,
      namePath,
      "preset-name",
      `'${name}' is not a preset name (letters, digits, '.', '_' and '-')`,
    );
    return nothing;
  }
  const found = findPreset(planner, name);
  if (found === null) {
    const hint = didYouMean(name, knownPresets(planner));
    planner.error(
      frame,
      namePath,
      "preset-not-found",
      `preset '${name}' not found in ${presetSearchDirs(planner).join(", ")}`,
      hint ?? "add --presets-dir DIR, or put it in ./presets beside the playbook",
    );
    return nothing;
  }
  if (frame.stack.includes(found.file)) {
    const cycle = [...frame.stack, found.file].join(" → ");
    planner.error(frame, namePath, "include-cycle", `preset cycle: ${cycle}`);
    return nothing;
  }
  const here = planner.pos(frame, path);
  const doc = planner.loadFile(found.file, frame, namePath, "preset file");
  if (doc === null) return nothing;
  planner.presetsUsed.push({ name, file: found.file, dir: found.dir });
  const checked = validatePresetFile(doc);
  if (!checked.ok) {
    planner.diagnostics.push(
      ...checked.error.map((d) => ({ ...d, chain: [...frame.chain, here] })),
    );
    return nothing;
  }
  const preset: PresetFile = checked.value;
  if (preset.name !== name) {
    planner.error(
      frame,
      namePath,
      "preset-name",
      `preset file '${found.file}' is named '${preset.name}', not '${name}'`,
      "the preset's 'name:' must match the name it is called by",
    );
    return nothing;
  }
  const params = renderParameters(planner, step.with, withPath, frame, scope);
  if (params === null) return nothing;
  const { values, problems } = checkParameters(name, preset.parameters, params);
  for (const p of problems) {
    if (p.param === null) planner.error(frame, namePath, p.code, p.message, p.hint);
    else if (p.code !== "unknown-parameter")
      planner.error(frame, [...withPath, p.param], p.code, p.message, p.hint);
    else {
      // An unknown name is shown at the name, not at its value.
      planner.diagnostics.push({
        severity: "error",
        code: p.code,
        message: p.message,
        pos: frame.doc.locateKey([...withPath, p.param]),
        chain: frame.chain.map((c) => ({ ...c })),
        ...(p.hint === undefined ? {} : { hint: p.hint }),
      });
    }
  }
  if (problems.length > 0) return nothing;
  const child: Frame = {
    doc,
    file: found.file,
    dir: found.dir,
    chain: [...frame.chain, { file: here.file, line: here.line, column: here.column }],
    stack: [...frame.stack, found.file],
  };
  // `props` is mooncake's newer name for the same map.
  const childScope = planner.scopes.create({
    ...planner.ownVars(scope),
    parameters: values,
    props: values,
  });
  const own = step.id ?? slugify(step.name === null ? name : step.name.replace(/\{\{.*?\}\}/g, ""));
  const childInherited: Inherited = {
    ...planner.inheritFrom(step, inherited, true),
    idPrefix: `${planner.presetIds.derive(`${inherited.idPrefix}${own}`)}/`,
  };
  const before = planner.pending.length;
  const r = planner.expandList(preset.nodes, child, childInherited, childScope, prev);
  if (step.register === null) return { exits: r.exits, scope, exported: {} };
  const exits = registerPresetResult(planner, step, frame, inherited, scope, before, r.exits);
  return { exits, scope, exported: {} };
}

/** The `with:` values, rendered in the caller's scope; they must be known at plan time. */
function renderParameters(
  planner: Planner,
  raw: Record<string, unknown>,
  withPath: DocPath,
  frame: Frame,
  scope: Scope,
): Record<string, unknown> | null {
  const site = planner.site(frame, scope.view, {});
  const before = planner.diagnostics.length;
  const values = renderField(site, raw, withPath, "with");
  planner.rejectDeferred(site.deferred, frame, withPath, "a preset's parameters");
  if (planner.diagnostics.length > before || !isRecord(values)) return null;
  return values;
}
