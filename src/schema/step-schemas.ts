/**
 * Zod schemas of one step per kind (action, block, parallel, include, vars,
 * include_vars), built by one factory so that validation and the JSON Schema share
 * them: validation passes `child = null` and checks nested steps itself (one step at a
 * time, for positions and speed); the JSON Schema passes the recursive Step schema.
 */
import * as z from "zod";
import { type ActionKey, actionSchema } from "./actions.js";
import { COMMON_FIELDS, type CommonField, FIELDS_BY_KIND, type StepKind } from "./fields.js";
import { expected, positive, str, varsMap } from "./primitives.js";

type Shape = Record<string, z.ZodType>;

const stepList = (child: z.ZodType) =>
  z.array(child).register(expected, { expected: "a list of steps" });

export interface StepSchemaFactory {
  /** Every common field, for a step whose kind is unknown (its other keys are ignored). */
  common(): z.ZodObject;
  action(key: ActionKey, handler: boolean): z.ZodObject;
  kind(kind: Exclude<StepKind, "action">): z.ZodObject;
}

/** `child` is the schema of a nested step, or null for a shallow (mapping) check. */
export function makeStepSchemas(child: z.ZodType | null): StepSchemaFactory {
  const nested = child ?? z.unknown();
  const strict = child !== null;
  const object = (shape: Shape) => (strict ? z.strictObject(shape) : z.object(shape));

  const common = (fields: readonly CommonField[]): Shape => {
    const shape: Shape = {};
    for (const f of fields) {
      shape[f] =
        f === "compensate" && child
          ? z.union([child, z.array(child)]).describe("A step (or list) that undoes this one")
          : COMMON_FIELDS[f];
    }
    for (const [k, v] of Object.entries(shape)) shape[k] = v.optional();
    return shape;
  };

  const own: Record<Exclude<StepKind, "action">, Shape> = {
    block: {
      block: stepList(nested).describe("Steps run in order; rescue runs if one fails"),
      rescue: stepList(nested).optional().describe("Steps run when the block fails"),
      always: stepList(nested).optional().describe("Steps run whatever happened"),
    },
    parallel: {
      parallel: z
        .union([
          stepList(nested),
          z.strictObject({ steps: stepList(nested), max: positive.optional() }),
        ])
        .describe("Steps with no order among themselves")
        .register(expected, { expected: "a list of steps, or a mapping with 'steps'" }),
    },
    include: { include: str.describe("Task file to include (templated, relative)") },
    preset: {
      preset: z
        .union([
          str,
          z.strictObject({
            name: str.describe("Preset name"),
            with: varsMap.optional().describe("Parameters"),
          }),
        ])
        .describe("Expand a preset (SPEC §1.8): a name, or {name, with}")
        .register(expected, { expected: "a preset name, or a mapping with 'name' and 'with'" }),
      with: varsMap.optional().describe("Parameters of the preset"),
    },
    vars: { vars: varsMap.describe("Plan-time variables for the following steps") },
    include_vars: { include_vars: str.describe("YAML file of variables to load") },
  };

  const cache = new Map<string, z.ZodObject>();
  const memo = (key: string, build: () => z.ZodObject): z.ZodObject => {
    let schema = cache.get(key);
    if (!schema) {
      schema = build();
      cache.set(key, schema);
    }
    return schema;
  };

  return {
    common: () =>
      memo("common", () => z.object(common(Object.keys(COMMON_FIELDS) as CommonField[]))),
    action: (key, handler) =>
      memo(`${key}:${handler}`, () => {
        const fields: CommonField[] = [...FIELDS_BY_KIND.action];
        if (handler) fields.push("listen");
        return object({ ...common(fields), [key]: actionSchema(key) });
      }),
    kind: (kind) => memo(kind, () => object({ ...common(FIELDS_BY_KIND[kind]), ...own[kind] })),
  };
}
