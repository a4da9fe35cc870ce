/**
 * The planner's view of playbook files: reading one (YAML → LoadedDoc), which
 * arguments of an action are paths in the project (resolved relative to the file
 * that names them), and the readable name of an unnamed step. What a field means is
 * decided once, in src/schema; the planner walks its normalized StepNode tree.
 */
import type { LoadedDoc } from "../load/index.js";
import { parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";

/** Arguments that name a file of the project, per action. */
export const PATH_ARGS: Partial<Record<string, string>> = {
  template: "src",
  copy: "src",
  unarchive: "src",
};

export function loadYaml(path: string, text: string): Result<LoadedDoc, Diagnostic[]> {
  return parseYaml({ path, text });
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
