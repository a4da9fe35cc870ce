/**
 * File arguments of action steps (`src` of template and copy): resolved against the
 * file that says them, read into the plan's sources, and checked now where they can be.
 */
import type { Deferred, LoopContext } from "../model/plan.js";
import type { ActionStep } from "../schema/index.js";
import { checkNamesOfTemplate, freeVariablesOfTemplate } from "../template/index.js";
import type { Frame } from "./frame.js";
import type { Planner } from "./planner.js";
import type { DocPath } from "./render.js";
import { PATH_ARGS } from "./steps.js";
import { lineAndColumn, resolvePath } from "./util.js";

/** Relative `src` paths are relative to the file that says them; the plan keeps them relative to the root. */
export function resolveArgPaths(
  planner: Planner,
  step: ActionStep,
  args: Record<string, unknown>,
  deferred: Record<string, Deferred>,
  frame: Frame,
  loop: LoopContext | null,
): void {
  const { action, path } = step;
  if (action === "service") {
    serviceTemplates(planner, args, deferred, frame, path);
    return;
  }
  const field = PATH_ARGS[action];
  if (field === undefined) return;
  const value = args[field];
  if (typeof value !== "string" || deferred[`args.${field}`] !== undefined) return;
  const fromTree = loop?.type === "with_filetree" && (loop.item as { src?: unknown }).src === value;
  const resolved = fromTree ? value : resolvePath(frame.dir, value);
  args[field] = resolved;
  if (action === "template") {
    readTemplateFile(planner, resolved, frame, path, [...path, step.key, field]);
  } else if (action === "copy") {
    // Hashed, never read as text: a copy's source may be a large binary.
    const hash = planner.opts.fs.sha256(resolved);
    if (hash !== null) planner.sources.set(resolved, hash);
    else if (planner.opts.fs.walk(resolved) !== null) {
      planner.error(
        frame,
        [...path, step.key, field],
        "unsupported",
        `copy of a directory ('${resolved}') is not supported yet`,
        "copy its files with a step using 'with_filetree: <dir>' and 'src: \"{{ item.src }}\"'",
      );
    }
  }
}

/**
 * A template file a step names: read into the plan's sources, the facts it reads
 * looked up now, and a syntax error in it reported now, at its line in the template.
 */
function readTemplateFile(
  planner: Planner,
  resolved: string,
  frame: Frame,
  path: DocPath,
  argPath: DocPath,
): void {
  const text = planner.opts.fs.readText(resolved);
  if (text === null) {
    planner.error(frame, argPath, "missing-file", `template '${resolved}' not found`);
    return;
  }
  planner.addSource(resolved, text);
  const fv = freeVariablesOfTemplate(text);
  const names = fv.ok ? checkNamesOfTemplate(text) : fv;
  if (fv.ok) planner.scopes.ensureFacts(fv.value, [], text);
  if (!names.ok) {
    const here = planner.pos(frame, path);
    const e = names.error;
    const at = lineAndColumn(text, e.offset);
    planner.diagnostics.push({
      severity: "error",
      code: `template-${e.code}`,
      message: `in template '${resolved}': ${e.message}`,
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      pos: { file: resolved, ...at, length: Math.max(1, e.length) },
      chain: [...frame.chain, { file: here.file, line: here.line, column: here.column }],
    });
  }
}

/** `service`'s `unit.src_template` and `dropin.src_template`, resolved like `template`'s `src`. */
function serviceTemplates(
  planner: Planner,
  args: Record<string, unknown>,
  deferred: Record<string, Deferred>,
  frame: Frame,
  path: DocPath,
): void {
  for (const key of ["unit", "dropin"]) {
    const part = args[key];
    if (part === null || typeof part !== "object" || Array.isArray(part)) continue;
    const file = (part as Record<string, unknown>).src_template;
    if (typeof file !== "string" || deferred[`args.${key}.src_template`] !== undefined) continue;
    const resolved = resolvePath(frame.dir, file);
    (part as Record<string, unknown>).src_template = resolved;
    readTemplateFile(planner, resolved, frame, path, [...path, "service", key, "src_template"]);
  }
}
