/**
 * `cairn schema`: the playbook language as JSON Schema (draft-07, the dialect editors support best), generated from
 * the same zod schemas validation uses, for yaml-language-server and other editors.
 */
import * as z from "zod";
import { ACTION_KEYS } from "./actions.js";
import { playbookMapping } from "./playbook-schema.js";
import { makeStepSchemas } from "./step-schemas.js";

function stepUnion(handler: boolean): z.ZodType {
  const self: z.ZodType = z.lazy(() => union);
  const schemas = makeStepSchemas(self);
  const variants = [
    ...ACTION_KEYS.map((key) => schemas.action(key, handler)),
    schemas.kind("block"),
    schemas.kind("parallel"),
    schemas.kind("include"),
    schemas.kind("preset"),
    schemas.kind("vars"),
    schemas.kind("include_vars"),
  ];
  const union: z.ZodType = z.union(variants).meta({
    id: handler ? "Handler" : "Step",
    description: handler
      ? "A handler: a step run once at the end when notified"
      : "A step: exactly one action plus common fields",
  });
  return union;
}

export function playbookJsonSchema(): object {
  const step = stepUnion(false);
  const mapping = playbookMapping(step).extend({
    handlers: z
      .array(stepUnion(true))
      .optional()
      .describe("Steps run once at the end when notified"),
  });
  const root = z
    .union([z.array(step), mapping])
    .describe("A cairn (mooncake-compatible) playbook: a list of steps, or a mapping with steps");
  return z.toJSONSchema(root, {
    target: "draft-07",
    io: "input",
    cycles: "ref",
    reused: "inline",
    unrepresentable: "any",
  });
}
