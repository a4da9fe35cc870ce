/**
 * The public API of the expression and template engine, used by the planner (parse,
 * free variables, plan-time rendering) and the executor (deferred rendering, `when:`).
 * Everything returns a Result; errors carry offsets into the string passed in.
 */
import { err, ok, type Result } from "../model/result.js";
import type { Expr } from "./ast.js";
import { BoundedCache } from "./cache.js";
import { type TemplateError, TemplateFailure } from "./errors.js";
import { type Context, type Scope, value } from "./evaluate.js";
import { exprFreeVariables, templateFreeVariables } from "./free-vars.js";
import { exprUnguarded, templateUnguarded } from "./guards.js";
import { lex } from "./lexer.js";
import { Budget } from "./limits.js";
import { firstUnknownName } from "./names.js";
import { Parser } from "./parser.js";
import { renderTemplate } from "./render.js";
import { isData } from "./sandbox.js";
import type { Secret } from "./secret.js";
import { parseTemplateSource, type Template, type TemplateOptions } from "./template.js";
import { templateExpressions } from "./walk.js";

export type { Expr } from "./ast.js";
export type { TemplateError, TemplateErrorCode } from "./errors.js";
export type { Scope } from "./evaluate.js";
export { printExpression } from "./print.js";
export {
  compileRegex,
  type RegexFlags,
  type RegexMatch,
  replaceMatches,
} from "./regex.js";
export { isSecret, redact, refName, reveal, Secret, secret, secretRef } from "./secret.js";
export type { Template, TemplateOptions, TNode } from "./template.js";
export { toDisplayString, truthy } from "./values.js";
export { fill, type Substitution, substitutionOf } from "./substitution.js";

export interface EvalOptions {
  /** The environment for `env()`, `has_env()` and `expanduser` (`HOME`). */
  env?: Record<string, string | undefined>;
}

/** What rendering a template gives: a string, or a secret string when it used a secret. */
export type Rendered = string | Secret<string>;

const CACHE_SIZE = 10_000;
const expressions = new BoundedCache<Result<Expr, TemplateError>>(CACHE_SIZE);
/** Parsed templates, one cache per option set (index: the flags of parseTemplate). */
const templates = Array.from(
  { length: 8 },
  () => new BoundedCache<Result<Template, TemplateError>>(CACHE_SIZE),
);
/** Free variables by source: a loop of 10,000 steps asks the same question of each field. */
const freeInExpressions = new BoundedCache<Result<string[], TemplateError>>(CACHE_SIZE);
const freeInTemplates = new BoundedCache<Result<string[], TemplateError>>(CACHE_SIZE);
/** A cached list is shared: each caller gets its own copy. */
const fresh = (r: Result<string[], TemplateError>): Result<string[], TemplateError> =>
  r.ok ? ok([...r.value]) : r;

/**
 * Run parser or evaluator code and turn its failures into values. A RangeError is the
 * engine's own limit speaking (a 100,000-term chain overflowing the stack, `%.500f`):
 * a user error about this input, not a bug.
 */
function attempt<T>(f: () => T): Result<T, TemplateError> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof TemplateFailure)
      return err({ ...e.error, offset: Math.max(e.error.offset, 0) });
    if (e instanceof RangeError) {
      const message = `expression too large or complex: ${e.message}`;
      return err({ code: "value", message, offset: 0, length: 1 });
    }
    throw e;
  }
}

function parseExpressionUncached(src: string): Result<Expr, TemplateError> {
  return attempt(() => {
    const parser = new Parser(lex(src, 0, "eof").tokens);
    if (parser.atEnd()) parser.unexpected("an expression");
    const expr = parser.expression();
    parser.expectEnd();
    return expr;
  });
}

/** Parse a bare expression (`when:`, `changed_when:`, `assert.that`). */
export function parseExpression(src: string): Result<Expr, TemplateError> {
  return expressions.get(src, parseExpressionUncached);
}

/**
 * Parse text with `{{ }}`, `{% %}` and `{# #}`. Whitespace follows Jinja2 with
 * `trim_blocks` and `lstrip_blocks` on and the trailing newline kept, unless `opts` or
 * the template's own `#jinja2: …` header (which wins) says otherwise.
 */
export function parseTemplate(
  src: string,
  opts?: TemplateOptions,
): Result<Template, TemplateError> {
  const flags =
    (opts?.trimBlocks === false ? 1 : 0) +
    (opts?.lstripBlocks === false ? 2 : 0) +
    (opts?.keepTrailingNewline === false ? 4 : 0);
  // A cache per option set, keyed by the source itself: a key built per call (flags +
  // source) had to be hashed anew at every lookup.
  const cache = templates[flags] as (typeof templates)[number];
  return cache.get(src, () => attempt(() => parseTemplateSource(src, opts)));
}

function context(scope: Scope, opts: EvalOptions | undefined): Context {
  return { scope, frame: null, env: opts?.env ?? {}, budget: new Budget() };
}

/** Evaluate to a native value (possibly a Secret). Undefined names are errors. */
export function evaluate(
  expr: Expr,
  scope: Scope,
  opts?: EvalOptions,
): Result<unknown, TemplateError> {
  return attempt(() => {
    const v = value(expr, context(scope, opts));
    if (!isData(v)) throw new Error("evaluator produced a value that is not plain data");
    return v;
  });
}

/** Render a template to a string (a Secret string when it used a secret). */
export function render(
  tpl: Template,
  scope: Scope,
  opts?: EvalOptions,
): Result<Rendered, TemplateError> {
  return attempt(() => renderTemplate(tpl, context(scope, opts)) as Rendered);
}

/** Parse and evaluate a bare expression; judge the result with `truthy` for conditions. */
export function evalExpression(
  src: string,
  scope: Scope,
  opts?: EvalOptions,
): Result<unknown, TemplateError> {
  const parsed = parseExpression(src);
  return parsed.ok ? evaluate(parsed.value, scope, opts) : parsed;
}

/**
 * The expression of a template that is exactly one `{{ expr }}` tag and nothing else:
 * no text (not even whitespace) before or after it. `{{-`/`-}}` inside the tag are fine.
 */
function soleExpression(src: string, tpl: Template): Expr | null {
  const [only, ...others] = tpl.nodes;
  if (only?.type !== "output" || others.length > 0) return null;
  return src.startsWith("{{") && src.endsWith("}}") ? only.expr : null;
}

/**
 * Render a string field. A string that is exactly one `{{ expr }}` tag gives the
 * expression's native value (`with_items: "{{ packages }}"` is a list); text without
 * template syntax comes back unchanged without parsing; anything else renders to a
 * string, every character kept (`"{{ v }}\n"` keeps its newline).
 */
export function renderValue(
  src: string,
  scope: Scope,
  opts?: EvalOptions,
): Result<unknown, TemplateError> {
  if (!isTemplated(src)) return ok(src);
  const parsed = parseTemplate(src);
  if (!parsed.ok) return parsed;
  const sole = soleExpression(src, parsed.value);
  return sole === null ? render(parsed.value, scope, opts) : evaluate(sole, scope, opts);
}

/**
 * `when: "{{ flag }}"`: when the whole string (trimmed) is exactly one `{{ … }}` tag,
 * its inner expression (trimmed) and that expression's offset in `src`; otherwise
 * `src` itself at offset 0. Errors from parsing `expr` shift by `offset`.
 */
export function stripExpressionBraces(src: string): { expr: string; offset: number } {
  const start = src.length - src.trimStart().length;
  const end = src.trimEnd().length;
  if (!src.startsWith("{{", start) || end - start < 4) return { expr: src, offset: 0 };
  const marker = src[start + 2];
  const inner = start + 2 + (marker === "-" || marker === "+" ? 1 : 0);
  const closed = attempt(() => lex(src, inner, "var"));
  if (!closed.ok || closed.value.next !== end) return { expr: src, offset: 0 };
  const close = closed.value.tokens.at(-1)?.start ?? inner;
  const text = src.slice(inner, close);
  const lead = text.length - text.trimStart().length;
  return { expr: text.trim(), offset: inner + lead };
}

export function isTemplated(src: string): boolean {
  return src.includes("{{") || src.includes("{%") || src.includes("{#");
}

/** The root names the expression reads, sorted. */
export function freeVariablesOfExpression(src: string): Result<string[], TemplateError> {
  return fresh(freeInExpressions.get(src, freeVariablesOfExpressionUncached));
}

function freeVariablesOfExpressionUncached(src: string): Result<string[], TemplateError> {
  const parsed = parseExpression(src);
  if (!parsed.ok) return parsed;
  return attempt(() => {
    const out = new Set<string>();
    exprFreeVariables(parsed.value, new Set(), out);
    return [...out].sort();
  });
}

/** The root names the template reads and does not bind itself (`for`, `set`, `loop`), sorted. */
export function freeVariablesOfTemplate(src: string): Result<string[], TemplateError> {
  return fresh(freeInTemplates.get(src, freeVariablesOfTemplateUncached));
}

function freeVariablesOfTemplateUncached(src: string): Result<string[], TemplateError> {
  const parsed = parseTemplate(src);
  if (!parsed.ok) return parsed;
  return attempt(() => {
    const out = new Set<string>();
    templateFreeVariables(parsed.value.nodes, new Set(), out);
    return [...out].sort();
  });
}

/**
 * Check, without evaluating, that every filter, test, function and method name the
 * expression uses exists: the first unknown one (by position) is the error.
 */
export function checkNamesOfExpression(src: string): Result<void, TemplateError> {
  const parsed = parseExpression(src);
  if (!parsed.ok) return parsed;
  const problem = firstUnknownName([parsed.value]);
  return problem === null ? ok(undefined) : err(problem);
}

/** `checkNamesOfExpression` over every expression of a template. */
export function checkNamesOfTemplate(src: string): Result<void, TemplateError> {
  const parsed = parseTemplate(src);
  if (!parsed.ok) return parsed;
  const problem = firstUnknownName(templateExpressions(parsed.value.nodes));
  return problem === null ? ok(undefined) : err(problem);
}

/**
 * The root names the expression reads somewhere outside a guard (`default`,
 * `is defined`, `is_defined()`, `coalesce()`, `x is defined and …` …), sorted: the
 * names whose absence can make it fail as undefined. See guards.ts for the rules.
 */
export function unguardedFreeVariablesOfExpression(src: string): Result<string[], TemplateError> {
  const parsed = parseExpression(src);
  if (!parsed.ok) return parsed;
  return attempt(() => exprUnguarded(parsed.value));
}

/** `unguardedFreeVariablesOfExpression` for a template; names it binds itself are left out. */
export function unguardedFreeVariablesOfTemplate(src: string): Result<string[], TemplateError> {
  const parsed = parseTemplate(src);
  if (!parsed.ok) return parsed;
  return attempt(() => templateUnguarded(parsed.value.nodes));
}
