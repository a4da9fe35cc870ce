/**
 * The loader's contract: a YAML document handed in as text, its plain JS value, and
 * lookups from a JS path back to a source position (used only when reporting errors).
 */
import type { Diagnostic, SourcePos } from "../model/index.js";

/** A JS path into a document: mapping keys and sequence indexes, outermost first. */
export type JsPath = readonly (string | number)[];

export interface SourceFile {
  /** Relative to the root playbook's directory. */
  path: string;
  text: string;
}

export interface LoadedDoc {
  file: SourceFile;
  /** Plain JS (`doc.toJS()`): mappings are plain objects with own keys. */
  value: unknown;
  /** Problems that did not stop loading (e.g. an unquoted value holding ': '). */
  warnings: Diagnostic[];
  /** Position of the node at a JS path, or of the nearest existing ancestor. */
  locate(path: JsPath): SourcePos;
  /** Position of the KEY of the entry at path (for "unknown field" errors). */
  locateKey(path: JsPath): SourcePos;
  /**
   * Position of the character at `offset` inside the string value at `path` (an offset
   * into the parsed string). Exact for plain and quoted scalars and for block scalars;
   * escapes in double-quoted strings are mapped character by character.
   */
  locateInString(path: JsPath, offset: number, length?: number): SourcePos;
  /** The source text of the scalar at path (e.g. `0o644` for a number), if there is one. */
  scalarSource(path: JsPath): string | undefined;
}
