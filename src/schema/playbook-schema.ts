/** The top level of a playbook file (SPEC §1.1) and of an included task file. */
import * as z from "zod";
import { expected, str, stringList, varsMap } from "./primitives.js";
import { secretName, secretsMap } from "./secrets.js";

/** One `serial` batch size: a host count, or a percentage of the hosts. */
const batchSize = z.union([z.number().int().min(1), z.string().regex(/^\s*\d+(\.\d+)?\s*%\s*$/)]);

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
    hosts: stringList
      .optional()
      .describe(
        "Target hosts: an Ansible pattern over the inventory (web:&prod, all, @failed-hosts)",
      ),
    inventory: stringList
      .optional()
      .describe("Inventory file(s), relative to the playbook (Ansible YAML or INI); -i adds more"),
    serial: z
      .union([batchSize, z.array(batchSize)])
      .optional()
      .describe('Rolling batches of hosts: a number, a percentage ("25%"), or a list of them')
      .register(expected, { expected: 'a number, a percentage such as "25%", or a list of them' }),
    max_fail_percentage: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        "Abort when more than this percentage of a batch's hosts failed; 100 never aborts. @default abort only when a whole batch failed",
      )
      .register(expected, { expected: "a number from 0 to 100" }),
    secret_env: z
      .array(z.string().regex(secretName))
      .optional()
      .describe("Environment variables holding secrets, each usable as a variable of its name")
      .register(expected, { expected: "a list of environment variable names" }),
    secrets: secretsMap().optional(),
  });
}

/** An included file: a list of steps, or a mapping with `steps` (and `vars`). */
export function taskFileMapping(child: z.ZodType | null) {
  return z.strictObject({
    vars: varsMap.optional().describe("Plan-time variables"),
    steps: z.array(child ?? z.unknown()).register(expected, { expected: "a list of steps" }),
  });
}
