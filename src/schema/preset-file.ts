/**
 * The file of a preset (SPEC §1.8): `presets/NAME/preset.yml` or `presets/NAME.yml`,
 * a mapping with `name`, `description`, `version`, typed `parameters` and `steps`
 * (mooncake also accepts the same mapping under a top-level `preset:` key).
 */
import * as z from "zod";
import type { LoadedDoc } from "../load/index.js";
import { type Diagnostic, err, ok, type Result } from "../model/index.js";
import { describeValue } from "./describe.js";
import { diagnostic, issuesToDiagnostics } from "./issues.js";
import { once } from "./once.js";
import { expected, str } from "./primitives.js";
import { makeStepSchemas } from "./step-schemas.js";
import type { JsPath, StepNode } from "./types.js";
import { safeParse } from "./parse.js";
import { isMapping, type StepContext, validateSteps } from "./validate-step.js";

/** Parameter types; `number` is accepted as mooncake's presets use it (any number). */
export const PARAMETER_TYPES = ["string", "bool", "int", "number", "array", "object"] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

const parameter = () =>
  z.strictObject({
    type: z.enum(PARAMETER_TYPES).describe("string, bool, int, array or object"),
    required: z.boolean().optional().describe("@default false"),
    default: z.unknown().optional(),
    enum: z.array(z.unknown()).optional().describe("The allowed values"),
    description: str.optional(),
  });

const presetMapping = once(() =>
  z.strictObject({
    name: str.describe("The preset's name (as used in `preset: NAME`)"),
    description: str.optional(),
    version: z
      .union([str, z.number()])
      .optional()
      .register(expected, { expected: 'a version such as "1.0.0"' }),
    parameters: z
      .record(z.string(), parameter())
      .optional()
      .register(expected, { expected: "a mapping of parameter names to definitions" }),
    steps: z.array(z.unknown()).register(expected, { expected: "a list of steps" }),
  }),
);

export interface PresetParameter {
  type: ParameterType;
  required: boolean;
  /** `undefined` when the preset gives no default. */
  default: unknown;
  enum: unknown[] | null;
  description: string | null;
}

export interface PresetFile {
  name: string;
  description: string | null;
  version: string | null;
  parameters: Record<string, PresetParameter>;
  /** The raw steps and their path in the document (the planner walks them). */
  steps: unknown[];
  stepsPath: JsPath;
  nodes: StepNode[];
}

export function validatePresetFile(doc: LoadedDoc): Result<PresetFile, Diagnostic[]> {
  const ctx: StepContext = { doc, errors: [], schemas: makeStepSchemas(null) };
  const wrapped =
    isMapping(doc.value) && Object.keys(doc.value).length === 1 && isMapping(doc.value.preset);
  const root = wrapped ? (doc.value as { preset: unknown }).preset : doc.value;
  const base: JsPath = wrapped ? ["preset"] : [];
  if (!isMapping(root)) {
    const message = `a preset file must be a mapping with 'name' and 'steps', got ${describeValue(root)}`;
    return err([diagnostic("type", message, doc.locate(base))]);
  }
  const schema = presetMapping();
  const parsed = safeParse(schema, root);
  if (!parsed.success) {
    return err(issuesToDiagnostics(parsed.error.issues, { doc, base, schema, value: root }));
  }
  const p = parsed.data;
  const parameters: Record<string, PresetParameter> = {};
  for (const [name, def] of Object.entries(p.parameters ?? {})) {
    parameters[name] = {
      type: def.type,
      required: def.required ?? false,
      default: def.default,
      enum: def.enum ?? null,
      description: def.description ?? null,
    };
  }
  const stepsPath = [...base, "steps"];
  const nodes = validateSteps(p.steps, stepsPath, ctx);
  if (ctx.errors.length > 0) return err(ctx.errors);
  return ok({
    name: p.name,
    description: p.description ?? null,
    version: p.version === undefined ? null : String(p.version),
    parameters,
    steps: p.steps,
    stepsPath,
    nodes,
  });
}
