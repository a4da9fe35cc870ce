/**
 * Template errors are values with a place: `offset`/`length` index the source string
 * the caller passed in, so that a caller holding the YAML position of that string can
 * print `file:line:col` of the exact character.
 */
export type TemplateErrorCode =
  | "syntax"
  | "undefined"
  | "type"
  | "sandbox"
  | "unknown-filter"
  | "unknown-test"
  | "unknown-function"
  | "value"
  | "limit";

export interface TemplateError {
  code: TemplateErrorCode;
  message: string;
  offset: number;
  length: number;
  hint?: string;
}

/**
 * Thrown inside the parser and evaluator only, and always caught at the public entry
 * points: deep recursion is far simpler with an exception than with a Result at every
 * level. `offset < 0` means "not located yet": a filter or function raises it and the
 * call site fills in its own position.
 */
export class TemplateFailure extends Error {
  readonly error: TemplateError;
  constructor(error: TemplateError) {
    super(error.message);
    this.name = "TemplateFailure";
    this.error = error;
  }
}

/** Raise an error that the nearest call site will locate. */
export function fail(code: TemplateErrorCode, message: string, hint?: string): never {
  const error: TemplateError = { code, message, offset: -1, length: 0 };
  if (hint !== undefined) error.hint = hint;
  throw new TemplateFailure(error);
}

/** Raise an error at a known place. */
export function failAt(
  code: TemplateErrorCode,
  message: string,
  offset: number,
  length: number,
  hint?: string,
): never {
  const error: TemplateError = { code, message, offset, length: Math.max(length, 1) };
  if (hint !== undefined) error.hint = hint;
  throw new TemplateFailure(error);
}

/**
 * Give an unlocated failure the position of the node that raised it. A RangeError is
 * the JavaScript engine's own limit (a string over its maximum length, the stack):
 * about this input, so it becomes a located error too.
 */
export function locate(e: unknown, offset: number, length: number): unknown {
  if (e instanceof RangeError) {
    const message = `expression too large or complex: ${e.message}`;
    return new TemplateFailure({ code: "value", message, offset, length: Math.max(length, 1) });
  }
  if (e instanceof TemplateFailure && e.error.offset < 0) {
    e.error.offset = offset;
    e.error.length = Math.max(length, 1);
  }
  return e;
}
