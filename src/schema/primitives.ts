/**
 * Shared zod building blocks of the playbook language (durations, modes, conditions,
 * string lists …) and the `expected` registry: the phrase a type error uses for a
 * schema ("a list of strings"). Descriptions (`.describe`) end up in the JSON Schema.
 */
import * as z from "zod";
import { DURATION_PATTERN } from "./duration.js";
import { MODE_STRING_PATTERN } from "./mode.js";
import { SIZE_PATTERN } from "./size.js";

/** What a field expects, in words, for "field 'x' must be <expected>, got …". */
export const expected = z.registry<{ expected: string }>();

export const str = z.string();

export const stringList = z
  .union([z.string(), z.array(z.string())])
  .register(expected, { expected: "a list of strings" });

export const duration = z
  .union([z.number().nonnegative(), z.string().regex(DURATION_PATTERN)])
  .register(expected, {
    expected: "a duration such as 30s, 5m, 1h, 500ms or 1m30s, or a number of seconds",
  });

export const size = z
  .union([z.int().nonnegative(), z.string().regex(SIZE_PATTERN)])
  .register(expected, {
    expected: "a size such as 256KiB, 1MiB or 1GB, or a number of bytes",
  });

export const mode = z
  .union([z.string().regex(MODE_STRING_PATTERN), z.string().regex(/\{\{/), z.int().nonnegative()])
  .describe('File mode: an octal string such as "0644" (a bare number is read as octal digits)')
  .register(expected, { expected: 'an octal mode such as "0644"' });

/** An expression; `true`/`false`; or a list of expressions that must all hold. */
export const condition = z
  .union([z.string(), z.boolean(), z.array(z.string())])
  .register(expected, { expected: "an expression, true/false, or a list of expressions" });

export const count = z.int().nonnegative();
export const positive = z.int().positive();

export const owner = z
  .union([z.string(), z.int().nonnegative()])
  .register(expected, { expected: "a user or group name, or a numeric id" });

export const stringMap = z.record(z.string(), z.string());

/** Environment values: strings, or numbers and booleans written unquoted (kept as text). */
export const envMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .register(expected, { expected: "a mapping of variable names to strings" });

export const varsMap = z
  .record(z.string(), z.unknown())
  .register(expected, { expected: "a mapping of variable names to values" });
