/** The top level of a playbook file (SPEC §1.1) and of an included task file. */
import { z } from "zod";
import { expected, str, stringList, varsMap } from "./primitives.js";
import { secretName, secretsMap } from "./secrets.js";

/** `child` is the Step schema (JSON Schema) or null (validation checks steps one by one). */
export function playbookMapping(child: z.ZodType | null) {
  const steps = z.array(child ?? z.unknown()).register(expected, { expected: "a list of steps" });
  return z.strictObject({
    version: z
      .union([str, z.number()])
      .optional()
      .describe('Playbook language version; this cairn reads "1"')
      .register(expected, { expected: 'a version such as "1"' }),
    vars: varsMap.optional().describe("Plan-time variables"),
    steps: steps.optional().describe("The steps, in order"),
    handlers: steps.optional().describe("Steps run once at the end when notified"),
    on_failure: z
      .enum(["stop", "compensate"])
      .optional()
      .describe("compensate: run compensation steps when the run fails. @default stop"),
    hosts: stringList.optional().describe("Reserved: target hosts pattern (later release)"),
    secret_env: z
      .array(z.string().regex(secretName))
      .optional()
      .describe("Environment variables holding secrets, each usable as a variable of its name")
      .register(expected, { expected: "a list of environment variable names" }),
    secrets: secretsMap.optional(),
  });
}

/** An included file: a list of steps, or a mapping with `steps` (and `vars`). */
export function taskFileMapping(child: z.ZodType | null) {
  return z.strictObject({
    vars: varsMap.optional().describe("Plan-time variables"),
    steps: z.array(child ?? z.unknown()).register(expected, { expected: "a list of steps" }),
  });
}
