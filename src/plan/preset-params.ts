/**
 * A preset's parameters at plan time (SPEC §1.8): the `with:` values checked against
 * the preset's typed definitions — unknown names (with a did-you-mean), wrong types,
 * values outside `enum`, missing required ones — and completed with defaults.
 */
import { didYouMean, type PresetParameter } from "../schema/index.js";
import { describe, isRecord } from "./util.js";

export interface ParameterProblem {
  /** The parameter the problem is about; null = the call as a whole (a missing one). */
  param: string | null;
  code: string;
  message: string;
  hint?: string | undefined;
}

function typeMatches(type: PresetParameter["type"], v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "array":
      return Array.isArray(v);
    case "object":
      return isRecord(v);
  }
}

const TYPE_WORDS: Record<PresetParameter["type"], string> = {
  string: "a string",
  bool: "true or false",
  int: "an integer",
  number: "a number",
  array: "a list",
  object: "a mapping",
};

/**
 * The `parameters` a preset's steps read: every given value that checks, then the
 * defaults. An optional parameter without a default and not given is `none`: mooncake's
 * presets test such parameters with `{% if parameters.x %}`, which must be false, not
 * an "undefined" error (README, Decisions).
 */
export function checkParameters(
  presetName: string,
  defs: Readonly<Record<string, PresetParameter>>,
  given: Readonly<Record<string, unknown>>,
): { values: Record<string, unknown>; problems: ParameterProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ParameterProblem[] = [];
  for (const [name, v] of Object.entries(given)) {
    const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
    if (def === undefined) {
      const known = Object.keys(defs);
      problems.push({
        param: name,
        code: "unknown-parameter",
        message: `preset '${presetName}' has no parameter '${name}'`,
        hint:
          didYouMean(name, known) ??
          (known.length === 0
            ? "this preset takes no parameters"
            : `its parameters: ${known.join(", ")}`),
      });
      continue;
    }
    if (!typeMatches(def.type, v)) {
      problems.push({
        param: name,
        code: "parameter-type",
        message: `parameter '${name}' of preset '${presetName}' must be ${TYPE_WORDS[def.type]}, got ${describe(v)}`,
      });
      continue;
    }
    if (def.enum !== null && !def.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      problems.push({
        param: name,
        code: "parameter-enum",
        message: `parameter '${name}' of preset '${presetName}' must be one of ${def.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(v)}`,
        ...(typeof v === "string"
          ? { hint: didYouMean(v, def.enum.map(String)) ?? undefined }
          : {}),
      });
      continue;
    }
    values[name] = v;
  }
  for (const [name, def] of Object.entries(defs)) {
    if (Object.hasOwn(given, name)) continue;
    if (def.default !== undefined) values[name] = def.default;
    else if (!def.required) values[name] = null;
    else {
      problems.push({
        param: null,
        code: "missing-parameter",
        message: `preset '${presetName}' needs parameter '${name}'${def.description === null ? "" : ` (${def.description})`}`,
        hint: `add it under 'with:', e.g. with: {${name}: ...}`,
      });
    }
  }
  return { values, problems };
}
