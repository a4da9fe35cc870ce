/**
 * Argument checks for filters, functions and methods: each either returns the value
 * with its TypeScript type or fails with a Python-style type error.
 */
import { fail } from "./errors.js";
import { type Dict, isDict } from "./plain.js";
import { typeName } from "./values.js";

export function str(v: unknown, what: string): string {
  if (typeof v !== "string") fail("type", `${what} expects a string, got '${typeName(v)}'`);
  return v;
}

export function optStr(v: unknown, what: string, fallback: string): string {
  return v === undefined || v === null ? fallback : str(v, what);
}

export function num(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return fail("type", `${what} expects a number, got '${typeName(v)}'`);
}

export function optNum(v: unknown, what: string, fallback: number): number {
  return v === undefined || v === null ? fallback : num(v, what);
}

export function int(v: unknown, what: string): number {
  const n = num(v, what);
  if (!Number.isInteger(n)) fail("type", `${what} expects an integer, got '${typeName(v)}'`);
  return n;
}

export function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail("type", `${what} expects a list, got '${typeName(v)}'`);
  return v;
}

export function dict(v: unknown, what: string): Dict {
  if (!isDict(v)) fail("type", `${what} expects a dict, got '${typeName(v)}'`);
  return v;
}

/** Python iteration: a list's items, a string's characters, a dict's keys. */
export function iterable(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isDict(v)) return Object.keys(v);
  return fail("type", `${what}: '${typeName(v)}' object is not iterable`);
}

/** Python `len()`. */
export function length(v: unknown): number {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  return fail("type", `object of type '${typeName(v)}' has no len()`);
}

export function bool(v: unknown, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : v === true;
}
