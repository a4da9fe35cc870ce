/**
 * The shape shared by filters, functions and methods: a definition names its
 * parameters, and `bindArguments` lines positional and keyword arguments up with them
 * the way Python does. Tables are Maps, so a lookup can never reach a prototype.
 */
import { fail } from "./errors.js";
import type { Budget } from "./limits.js";

/** What a filter, function or method may ask of the evaluator. */
export interface CallContext {
  env: Readonly<Record<string, string | undefined>>;
  /** The evaluation's budget, for calls whose work is not the size of their input. */
  budget: Budget;
  filter(name: string, input: unknown, args: unknown[]): unknown;
  test(name: string, value: unknown, args: unknown[]): boolean;
}

export interface Call {
  /** The filtered value, or the method's receiver; undefined for functions. */
  input: unknown;
  /** Aligned with `params` then `kwonly`; `undefined` where not given. */
  args: unknown[];
  /** Positional arguments beyond `params`, for variadic definitions. */
  rest: unknown[];
  /** Keyword arguments not among the parameters, for definitions with `keywords`. */
  named?: [string, unknown][];
  ctx: CallContext;
}

export interface Definition {
  params: readonly string[];
  /** Accepted by keyword only (after any variadic positionals). */
  kwonly?: readonly string[];
  variadic?: boolean;
  /** Takes keyword arguments beyond its parameters (Python `**kwargs`), in `named`. */
  keywords?: boolean;
  /** Receives undefined (`Missing`) values instead of failing on them: `default`, `is_defined`. */
  lenient?: boolean;
  fn(call: Call): unknown;
}

export function bindArguments(
  what: string,
  def: Definition,
  positional: unknown[],
  keywords: [string, unknown][],
): { args: unknown[]; rest: unknown[]; named: [string, unknown][] } {
  // Fast path for the common call: positional arguments only, none beyond `params`.
  if (keywords.length === 0 && positional.length <= def.params.length && def.kwonly === undefined) {
    const args = positional.slice();
    while (args.length < def.params.length) args.push(undefined);
    return { args, rest: [], named: [] };
  }
  const names = [...def.params, ...(def.kwonly ?? [])];
  const args: unknown[] = names.map(() => undefined);
  const rest: unknown[] = [];
  const named: [string, unknown][] = [];
  positional.forEach((v, i) => {
    if (i < def.params.length) args[i] = v;
    else if (def.variadic) rest.push(v);
    else
      fail(
        "type",
        `${what} takes at most ${def.params.length} argument(s), ${positional.length} given`,
      );
  });
  for (const [k, v] of keywords) {
    const i = names.indexOf(k);
    if (i < 0 && def.keywords) {
      if (named.some(([n]) => n === k))
        fail("type", `${what} got multiple values for argument '${k}'`);
      named.push([k, v]);
      continue;
    }
    if (i < 0) fail("type", `${what} got an unexpected keyword argument '${k}'`);
    if (args[i] !== undefined) fail("type", `${what} got multiple values for argument '${k}'`);
    args[i] = v;
  }
  return { args, rest, named };
}

export function table(entries: Record<string, Definition>): Map<string, Definition> {
  return new Map(Object.entries(entries));
}
