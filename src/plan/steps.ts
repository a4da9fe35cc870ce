/**
 * The shapes of steps as the planner reads them: which keys are actions, how an
 * action's short form becomes its argument map, and which arguments are paths in
 * the project (resolved relative to the file that names them).
 */
import type { LoadedDoc } from "../load/index.js";
import { parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";
import { validateTaskFile } from "../schema/index.js";
import type { DocPath } from "./render.js";
import { isRecord } from "./util.js";

export type StepRecord = Record<string, unknown>;

export const ACTION_NAMES = [
  "shell",
  "command",
  "print",
  "assert",
  "file",
  "template",
  "copy",
  "unarchive",
  "download",
  "replace",
  "file_replace",
  "lineinfile",
  "wait",
  "package",
  "service",
] as const;

/** Arguments that name a file of the project, per action. */
export const PATH_ARGS: Partial<Record<string, string>> = {
  template: "src",
  copy: "src",
  unarchive: "src",
};

/** The action's argument map; `scalar` when the playbook used the short string form. */
export function normalizeArgs(
  action: string,
  value: unknown,
): { args: Record<string, unknown>; scalar: boolean } {
  if (isRecord(value)) return { args: value, scalar: false };
  const text = value === null || value === undefined ? "" : String(value);
  switch (action) {
    case "shell":
    case "command":
      return { args: { cmd: text }, scalar: true };
    case "print":
      return { args: { msg: text }, scalar: true };
    case "assert":
      return { args: { that: text }, scalar: true };
    default:
      return { args: { path: text }, scalar: true };
  }
}

export function loadYaml(path: string, text: string): Result<LoadedDoc, Diagnostic[]> {
  return parseYaml({ path, text });
}

export interface TaskList {
  steps: unknown[];
  path: DocPath;
  vars: Record<string, unknown> | null;
}

/** An included file: a list of steps, or a mapping with `steps` (and optional `vars`). */
export function loadTaskDocument(doc: LoadedDoc): Result<TaskList, Diagnostic[]> {
  const checked = validateTaskFile(doc);
  if (!checked.ok) return { ok: false, error: checked.error };
  const value = doc.value;
  if (value === null || value === undefined)
    return { ok: true, value: { steps: [], path: [], vars: null } };
  if (Array.isArray(value)) return { ok: true, value: { steps: value, path: [], vars: null } };
  if (isRecord(value)) {
    const steps = Array.isArray(value.steps) ? value.steps : [];
    return {
      ok: true,
      value: { steps, path: ["steps"], vars: isRecord(value.vars) ? value.vars : null },
    };
  }
  return { ok: true, value: { steps: [], path: [], vars: null } };
}

/** A readable name for an unnamed step: its action and the start of its main argument. */
export function defaultName(action: string, args: Record<string, unknown>): string {
  const main =
    args.cmd ??
    args.msg ??
    args.path ??
    args.dest ??
    args.that ??
    args.argv ??
    args.url ??
    args.name ??
    args.names ??
    "";
  const text = (Array.isArray(main) ? main.join(" ") : String(main)).split("\n")[0]!.trim();
  return text === "" ? action : `${action}: ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
