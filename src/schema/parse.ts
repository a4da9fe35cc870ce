/**
 * zod's `safeParse`, without zod's JIT until a schema has been used often.
 *
 * Why: zod 4 compiles a specialized parser for an object schema (`new Function`) at its
 * first parse. That code is made at run time, so the CLI's code cache cannot hold it and
 * every start compiled it again: for a playbook of a few steps this cost more than the
 * whole validation. The generic parser gives the same verdicts and issues; after
 * JIT_AFTER parses of one schema (a playbook of hundreds of steps of one action) the
 * compiled parser pays for itself, and zod's default takes over.
 */
import type { z } from "zod";

const JIT_AFTER = 64;
const uses = new WeakMap<object, number>();

export function safeParse<T extends z.ZodType>(schema: T, value: unknown) {
  const n = (uses.get(schema) ?? 0) + 1;
  uses.set(schema, n);
  return schema.safeParse(value, n > JIT_AFTER ? undefined : { jitless: true });
}
