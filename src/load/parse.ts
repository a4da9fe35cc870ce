/**
 * `parseYaml`: text → plain JS value plus position lookups. YAML 1.2 core schema (as
 * mooncake's yaml.v3), duplicate keys are errors, merge keys (`<<`) work, one document
 * per file. Pure: the caller reads the file and hands over its text.
 */
import { type Document, isMap, LineCounter, parseDocument, visit, type YAMLError } from "yaml";
import { type Diagnostic, err, ok, type Result } from "../model/index.js";
import { indentQuotedContinuations, quoteColonValues } from "./lenient.js";
import { checkYamlText } from "./limits.js";
import { makeLoadedDoc } from "./loaded-doc.js";
import { secretTag } from "./secret-tag.js";
import { yamlMessage } from "./messages.js";
import { toPos } from "./position.js";
import type { LoadedDoc, SourceFile } from "./types.js";

/** An unterminated string is reported at the end of input; point at its opening quote. */
function openingQuote(text: string, e: YAMLError): [number, number] | null {
  const quote = e.code === "MISSING_CHAR" ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
  if (quote === undefined) return null;
  const at = text.lastIndexOf(quote, e.pos[0] - 1);
  return at === -1 ? null : [at, at + 1];
}

/** Cascading parse errors on one line say the same thing; keep the first of each line. */
function syntaxDiagnostics(file: SourceFile, lines: LineCounter, errors: YAMLError[]) {
  const byLine = new Map<number, Diagnostic>();
  for (const e of errors) {
    const [start, end] = openingQuote(file.text, e) ?? e.pos;
    const pos = toPos(file.path, file.text, lines, start, end);
    if (byLine.has(pos.line)) continue;
    byLine.set(pos.line, {
      severity: "error",
      code: "yaml",
      message:
        e.code === "DUPLICATE_KEY"
          ? `duplicate key '${file.text.slice(start).split(/:|\n/)[0]?.trim()}'`
          : yamlMessage(e.code, e.message),
      pos,
    });
  }
  return [...byLine.values()].sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0));
}

/** `toJS` throws for an alias to an anchor defined later (or never); point at that alias. */
function conversionDiagnostic(file: SourceFile, lines: LineCounter, doc: Document, e: unknown) {
  let start = 0;
  let end = 0;
  let name = "";
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined && node.range) {
        [start, end] = node.range;
        name = node.source;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const message =
    name === ""
      ? `invalid YAML: ${e instanceof Error ? e.message : String(e)}`
      : `unknown anchor '${name}' (an alias must come after its anchor &${name})`;
  const diagnostic: Diagnostic = { severity: "error", code: "yaml", message };
  diagnostic.pos = toPos(file.path, file.text, lines, start, end);
  return diagnostic;
}

/**
 * `with_items: {{ items }}` is a YAML flow mapping whose key is another mapping — the
 * most common YAML mistake in templated playbooks. Say so, instead of a type error.
 */
function unquotedTemplates(file: SourceFile, lines: LineCounter, doc: Document): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Map(_, node) {
      const first = node.items[0];
      if (
        !node.flow ||
        first === undefined ||
        !isMap(first.key) ||
        node.range === undefined ||
        node.range === null
      ) {
        return;
      }
      const [start, end] = node.range;
      found.push({
        severity: "error",
        code: "yaml",
        message: "a value that starts with '{{' must be quoted: YAML reads it as a mapping",
        pos: toPos(file.path, file.text, lines, start, end),
        hint: `write "${file.text.slice(start, end).trim()}" (in quotes)`,
      });
      return visit.SKIP;
    },
  });
  return found;
}

function parse(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    merge: true,
    prettyErrors: false,
    version: "1.2",
    customTags: [secretTag],
  });
  return { doc, lines };
}

/**
 * The text-level limits (size, nesting depth, a second document) as a located
 * diagnostic, or null: checked before any YAML parser sees the text.
 */
export function checkYamlLimits(file: SourceFile): Diagnostic | null {
  const problem = checkYamlText(file.text);
  if (problem === null) return null;
  const counter = new LineCounter();
  counter.addNewLine(0);
  // The lines up to the problem are enough to place it; no YAML is parsed.
  for (let at = file.text.indexOf("\n"); at >= 0 && at < problem.start; ) {
    counter.addNewLine(at + 1);
    at = file.text.indexOf("\n", at + 1);
  }
  const pos = toPos(file.path, file.text, counter, problem.start, problem.end);
  return { severity: "error", code: "yaml", message: problem.message, pos };
}

export function parseYaml(original: SourceFile): Result<LoadedDoc, Diagnostic[]> {
  const problem = checkYamlLimits(original);
  if (problem !== null) return err([problem]);
  let file = original;
  let { doc, lines } = parse(file.text);
  const warnings: Diagnostic[] = [];
  // Same lines, only continuation lines of quoted values indented (see lenient.ts).
  const indented = doc.errors.length > 0 ? indentQuotedContinuations(file.text) : null;
  if (indented !== null) {
    const retry = parse(indented);
    if (retry.doc.errors.length <= doc.errors.length) {
      file = { ...file, text: indented };
      ({ doc, lines } = retry);
    }
  }
  if (doc.errors.length > 0) {
    const rewrite = quoteColonValues(file.text, doc.errors);
    const retry = rewrite ? parse(rewrite.text) : null;
    if (!rewrite || !retry || retry.doc.errors.length > 0) {
      return err(syntaxDiagnostics(file, lines, doc.errors));
    }
    for (const [start, end] of rewrite.quoted) {
      const message = "a plain value cannot contain ': '; read as a string (quote it)";
      const pos = toPos(file.path, file.text, lines, start, end);
      warnings.push({ severity: "warning", code: "yaml", message, pos });
    }
    ({ doc, lines } = retry);
  }
  const braces = unquotedTemplates(file, lines, doc);
  if (braces.length > 0) return err(braces);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    return err([conversionDiagnostic(file, lines, doc, e)]);
  }
  return ok(makeLoadedDoc(file, doc, lines, value, warnings));
}
