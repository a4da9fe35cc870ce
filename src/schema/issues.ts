/**
 * Zod issues → Diagnostics with positions. Unknown fields become `unknown-key` at the
 * key with a "did you mean" hint; type mismatches become `type` errors worded from the
 * schema ("field 'tags' must be a list of strings, got a number"). A failed union is
 * explained through the one option whose shape matches the value, when there is one.
 */
import type { z } from "zod";
import type { LoadedDoc } from "../load/index.js";
import type { Diagnostic } from "../model/index.js";
import { describeExpected, describeValue, fieldName, schemaAt, valueAt } from "./describe.js";
import { didYouMean } from "./suggest.js";

type Segment = string | number;
type Issue = z.core.$ZodIssue;

export interface IssueScope {
  doc: LoadedDoc;
  /** JS path of the validated value in the document. */
  base: readonly Segment[];
  /** Path of the validated value inside the step, for field names (`shell` in `shell.cmd`). */
  prefix?: readonly Segment[];
  /** The schema the value was validated against. */
  schema: z.ZodType;
  value: unknown;
}

const segments = (path: readonly PropertyKey[]): Segment[] =>
  path.filter((s): s is Segment => typeof s === "string" || typeof s === "number");

export function diagnostic(
  code: string,
  message: string,
  pos: Diagnostic["pos"],
  hint?: string | null,
): Diagnostic {
  const d: Diagnostic = { severity: "error", code, message };
  if (pos) d.pos = pos;
  if (hint) d.hint = hint;
  return d;
}

function knownKeys(schema: z.ZodType | null): string[] {
  const shape = schema && "shape" in schema ? schema.shape : null;
  return shape && typeof shape === "object" ? Object.keys(shape) : [];
}

/** The union options that accepted the value's kind (their errors are deeper than the root). */
function fittingBranches(errors: readonly Issue[][]): number[] {
  const fitting: number[] = [];
  errors.forEach((branch, index) => {
    if (!branch.some((i) => i.code === "invalid_type" && i.path.length === 0)) fitting.push(index);
  });
  return fitting;
}

/**
 * An issue inside the matching union option that is worth reporting as is; a plain
 * mismatch at the option's root is better worded from the whole union's description.
 */
const explainsItself = (i: Issue): boolean =>
  i.path.length > 0 ||
  i.code === "unrecognized_keys" ||
  i.code === "custom" ||
  i.code === "invalid_value";

function typeError(scope: IssueScope, path: Segment[], schema: z.ZodType | null, value: unknown) {
  const want = schema ? describeExpected(schema) : "a different value";
  const show = typeof value === "string" && !/^a (list|mapping)/.test(want);
  const name = fieldName([...(scope.prefix ?? []), ...path]);
  const message = `field '${name}' must be ${want}, got ${describeValue(value, show)}`;
  // YAML 1.1's booleans (Ansible habit) are plain strings in YAML 1.2.
  const yaml11 =
    typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value) && want === "true or false";
  const hint = yaml11
    ? `YAML 1.2 reads '${value}' as text: write ${/^(yes|on|y)$/i.test(value) ? "true" : "false"}`
    : null;
  return diagnostic("type", message, scope.doc.locate([...scope.base, ...path]), hint);
}

function convert(issue: Issue, scope: IssueScope, out: Diagnostic[]): void {
  const path = segments(issue.path);
  const at = [...scope.base, ...path];
  const schema = schemaAt(scope.schema, path);
  const value = valueAt(scope.value, path);
  const named = [...(scope.prefix ?? []), ...path];
  const field = fieldName(named);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema);
      for (const key of issue.keys) {
        const where = field === "" ? "" : ` in '${field}'`;
        const pos = scope.doc.locateKey([...at, key]);
        out.push(
          diagnostic("unknown-key", `unknown field '${key}'${where}`, pos, didYouMean(key, known)),
        );
      }
      return;
    }
    case "invalid_union": {
      const errors: readonly Issue[][] = issue.errors;
      const fitting = fittingBranches(errors);
      const options = schema && "options" in schema ? (schema.options as readonly z.ZodType[]) : [];
      const option = fitting.length === 1 ? options[fitting[0]!] : undefined;
      const branch = errors[fitting[0] ?? -1] ?? [];
      if (option && branch.every(explainsItself)) {
        const inner: IssueScope = {
          doc: scope.doc,
          base: at,
          prefix: named,
          schema: option,
          value,
        };
        convertAll(branch, inner, out);
      } else {
        out.push(typeError(scope, path, schema, value));
      }
      return;
    }
    case "invalid_type":
      if (value === undefined && path.length > 0) {
        const parent = fieldName(named.slice(0, -1));
        const owner = parent === "" ? "this step" : `'${parent}'`;
        const name = String(path[path.length - 1]);
        const pos = scope.doc.locate(at.slice(0, -1));
        out.push(diagnostic("missing-field", `${owner} needs field '${name}'`, pos));
        return;
      }
      out.push(typeError(scope, path, schema, value));
      return;
    case "invalid_value": {
      const choices = issue.values.map(String);
      const message = `field '${field}' must be one of ${choices.join(", ")}, got ${describeValue(value, true)}`;
      const hint = typeof value === "string" ? didYouMean(value, choices) : null;
      out.push(diagnostic("type", message, scope.doc.locate(at), hint));
      return;
    }
    case "too_small":
    case "too_big": {
      const strict = issue.inclusive === false;
      const bound =
        issue.code === "too_small"
          ? strict
            ? "greater than"
            : "at least"
          : strict
            ? "less than"
            : "at most";
      const message =
        issue.origin === "array"
          ? `field '${field}' must have ${bound} ${issue.code === "too_small" ? issue.minimum : issue.maximum} item(s)`
          : `field '${field}' must be ${bound} ${issue.code === "too_small" ? issue.minimum : issue.maximum}, got ${describeValue(value, true)}`;
      out.push(diagnostic("invalid-value", message, scope.doc.locate(at)));
      return;
    }
    case "custom": {
      const subject = field === "" ? "this step" : `'${field}'`;
      const message = issue.message.startsWith("needs")
        ? `${subject} ${issue.message}`
        : issue.message;
      const pos = path.length > 0 ? scope.doc.locateKey(at) : scope.doc.locate(at);
      out.push(diagnostic("invalid-value", message, pos));
      return;
    }
    case "invalid_format":
    case "invalid_element":
    case "invalid_key":
    case "not_multiple_of":
      out.push(typeError(scope, path, schema, value));
  }
}

/** A missing field next to an unknown one is the same typo (`mgs` for `msg`): report it once. */
function isShadowed(issue: Issue, unknownAt: ReadonlySet<string>, value: unknown): boolean {
  const path = segments(issue.path);
  return (
    issue.code === "invalid_type" &&
    path.length > 0 &&
    valueAt(value, path) === undefined &&
    unknownAt.has(JSON.stringify(path.slice(0, -1)))
  );
}

function convertAll(issues: readonly Issue[], scope: IssueScope, out: Diagnostic[]): void {
  const unknownAt = new Set(
    issues
      .filter((i) => i.code === "unrecognized_keys")
      .map((i) => JSON.stringify(segments(i.path))),
  );
  for (const issue of issues) {
    if (!isShadowed(issue, unknownAt, scope.value)) convert(issue, scope, out);
  }
}

export function issuesToDiagnostics(issues: readonly Issue[], scope: IssueScope): Diagnostic[] {
  const out: Diagnostic[] = [];
  convertAll(issues, scope, out);
  return out;
}
