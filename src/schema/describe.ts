/**
 * Words for error messages: what a zod schema expects ("a list of strings") and what
 * a value is ("a number"), plus lookups of a sub-schema or sub-value at a path.
 */
import * as z from "zod";
import { expected } from "./primitives.js";

type Segment = string | number;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodLazy) {
      s = s.unwrap() as z.ZodType;
    } else {
      break;
    }
  }
  return s;
}

/** The sub-schema at `path`, or null. In a union, the first option that has the path. */
export function schemaAt(schema: z.ZodType, path: readonly Segment[]): z.ZodType | null {
  let current: z.ZodType = unwrap(schema);
  for (const [i, segment] of path.entries()) {
    let next: z.ZodType | undefined;
    if (current instanceof z.ZodObject) {
      next = current.shape[String(segment)] as z.ZodType | undefined;
    } else if (current instanceof z.ZodArray && typeof segment === "number") {
      next = current.element as z.ZodType;
    } else if (current instanceof z.ZodRecord) {
      next = current.valueType as z.ZodType;
    } else if (current instanceof z.ZodUnion) {
      for (const option of current.options as readonly z.ZodType[]) {
        const found = schemaAt(option, path.slice(i));
        if (found) return found;
      }
    }
    if (!next) return null;
    current = unwrap(next);
  }
  return current;
}

export function valueAt(value: unknown, path: readonly Segment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

function plural(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodString) return "strings";
  if (s instanceof z.ZodNumber) return "numbers";
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return "mappings";
  return "items";
}

export function describeExpected(schema: z.ZodType): string {
  const own = expected.get(schema)?.expected;
  if (own) return own;
  const s = unwrap(schema);
  if (s !== schema) return describeExpected(s);
  if (s instanceof z.ZodString) return "a string";
  if (s instanceof z.ZodNumber) return s.isInt ? "a whole number" : "a number";
  if (s instanceof z.ZodBoolean) return "true or false";
  if (s instanceof z.ZodArray) return `a list of ${plural(s.element as z.ZodType)}`;
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return "a mapping";
  if (s instanceof z.ZodEnum) return `one of ${s.options.join(", ")}`;
  if (s instanceof z.ZodUnion) {
    return (s.options as readonly z.ZodType[]).map(describeExpected).join(" or ");
  }
  return "a different value";
}

export function describeValue(v: unknown, showValue = false): string {
  if (v === null || v === undefined) return "an empty value";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") {
    if (!showValue) return "a string";
    return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  }
  if (typeof v === "number") return showValue ? String(v) : "a number";
  if (typeof v === "boolean") return showValue ? String(v) : "a boolean";
  return typeof v;
}

/** `retry.attempts`, `tags[1]`, `file`. */
export function fieldName(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  }
  return out;
}
