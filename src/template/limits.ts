/**
 * The budget of one template or expression evaluation: hostile one-liners
 * (`range(10**6)|join(long_sep)`, nested `{% for %}` over big ranges, `~` chains) must
 * end with a located error instead of hanging or exhausting memory. Every limit lives
 * here. Evaluation stays pure: the budget counts operations, never time.
 *
 * - operations: every expression node evaluated, every loop iteration (four: it
 *   builds a frame and `loop`), every filter, test, function or method call, and one
 *   per item of each collection a call takes or produces (so `unique` of a million items costs a million, not a trillion);
 * - characters: the size of any string a step computes (values read from variables
 *   are not counted: a registered stdout may be large), and of the rendered output;
 * - characters produced: all the strings computed by one evaluation together, so
 *   that `map` cannot build a million strings of a million characters;
 * - items: the length of any list a step produces;
 * - nesting: of brackets in an expression (`((((…`), of an expression's tree
 *   (`1+1+1…`), of `{% %}` blocks, and of values parsed from text (`from_json`).
 *
 * The limits are far above what playbooks need (the largest compat template uses a
 * few thousand operations) and low enough that hitting one takes about a second.
 */
import { fail } from "./errors.js";
import { isDict } from "./plain.js";

export const LIMITS = {
  /** Operations per evaluation (see above). */
  operations: 10_000_000,
  /** Characters of any string computed, and of a template's output (as a YAML file's size). */
  characters: 16_000_000,
  /** Characters of all the strings computed by one evaluation. */
  produced: 64_000_000,
  /** Items of any list produced. */
  items: 1_000_000,
  /** Brackets and parentheses nested in an expression, and nested `{% %}` blocks. */
  nesting: 100,
  /** Depth of an expression tree: `1+1+1…` is as deep as it is long. */
  treeDepth: 1_000,
  /** Depth of a value parsed from text (`from_json`, `from_yaml`), as for YAML files. */
  valueDepth: 200,
} as const;

const format = (n: number): string => n.toLocaleString("en-US");

/** The message of a limit hit, e.g. `template exceeds the limit of 1,000,000 items in a list`. */
export function limitMessage(limit: keyof typeof LIMITS, what: string): string {
  return `template exceeds the limit of ${format(LIMITS[limit])} ${what}`;
}

/** Raise an unlocated limit error: the nearest call site gives it its position. */
export function exceeded(limit: keyof typeof LIMITS, what: string): never {
  return fail("limit", limitMessage(limit, what));
}

/** Refuse a size over a limit before building the value. */
export function checkCharacters(n: number): void {
  if (n > LIMITS.characters) exceeded("characters", "characters in a string");
}

export function checkItems(n: number): void {
  if (n > LIMITS.items) exceeded("items", "items in a list");
}

/** The operations spent so far by one evaluation. */
export class Budget {
  private spent = 0;
  private chars = 0;

  spend(n: number): void {
    this.spent += n;
    if (this.spent > LIMITS.operations) exceeded("operations", "operations");
  }

  /** Charge for a value a step produced, and refuse it when it is too large. */
  produced(v: unknown): void {
    if (typeof v === "string") {
      checkCharacters(v.length);
      this.chars += v.length;
      if (this.chars > LIMITS.produced) exceeded("produced", "characters computed in total");
    } else if (Array.isArray(v)) {
      checkItems(v.length);
      this.spend(v.length);
    }
  }

  /** Charge for the collection a call takes. */
  taken(v: unknown): void {
    if (Array.isArray(v)) this.spend(v.length);
    else if (typeof v === "string") this.spend(v.length >>> 6);
  }
}

/** `items.join(sep)` after checking the length of the result, which is known beforehand. */
export function joinChecked(items: readonly string[], sep: string): string {
  let n = sep.length * Math.max(items.length - 1, 0);
  for (const s of items) n += s.length;
  checkCharacters(n);
  return items.join(sep);
}

/**
 * Refuse a value nested deeper than the limit (counted without recursion, so a
 * million-deep `from_json` result cannot overflow the stack here).
 */
export function checkValueDepth(root: unknown): void {
  const stack: [unknown, number][] = [[root, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (depth > LIMITS.valueDepth) exceeded("valueDepth", "levels of nesting in a value");
    if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
    else if (isDict(v)) for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
}
