/** The `LoadedDoc` over a parsed document: every lookup walks the tree on demand. */
import { type Document, isNode, isScalar, type LineCounter } from "yaml";
import type { Diagnostic, SourcePos } from "../model/index.js";
import { findNode } from "./find-node.js";
import { toPos } from "./position.js";
import { sourceRangeInScalar } from "./string-offset.js";
import type { JsPath, LoadedDoc, SourceFile } from "./types.js";

export function makeLoadedDoc(
  file: SourceFile,
  doc: Document,
  lines: LineCounter,
  value: unknown,
  warnings: Diagnostic[],
): LoadedDoc {
  const at = (start: number, end: number): SourcePos =>
    toPos(file.path, file.text, lines, start, end);

  const nodePos = (node: unknown): SourcePos | null => {
    const range = isNode(node) ? node.range : null;
    if (!range || (isScalar(node) && range[0] === range[1] && node.value === null)) return null;
    const end = isScalar(node) ? range[1] : range[0] + 1;
    return at(range[0], end);
  };

  const start = (): SourcePos => nodePos(doc.contents) ?? at(0, 0);

  const locateUncached = (path: JsPath): SourcePos => {
    const found = findNode(doc, path);
    const key = found.complete && found.pair ? nodePos(found.pair.key) : null;
    const own = found.complete && found.pair?.value !== null ? nodePos(found.node) : null;
    return own ?? key ?? nodePos(found.node) ?? start();
  };
  // Each step of a 10,000-item loop asks where its one source step is, one after the
  // other: the last answer is kept (a copy each time), so the tree is walked once.
  let last: { path: JsPath; pos: SourcePos } | null = null;
  const locate = (path: JsPath): SourcePos => {
    if (last === null || !samePath(last.path, path))
      last = { path: [...path], pos: locateUncached(path) };
    return { ...last.pos };
  };

  const locateKey = (path: JsPath): SourcePos => {
    const found = findNode(doc, path);
    const key = found.complete && found.pair ? nodePos(found.pair.key) : null;
    return key ?? locate(path);
  };

  const locateInString = (path: JsPath, offset: number, length = 1): SourcePos => {
    const found = findNode(doc, path);
    const node = found.node;
    if (!found.complete || !isScalar(node) || typeof node.value !== "string" || !node.range) {
      return locate(path);
    }
    const range = sourceRangeInScalar(
      node.type,
      node.value,
      file.text,
      node.range[0],
      node.range[1],
      offset,
      length,
    );
    return range ? at(range[0], range[1]) : locate(path);
  };

  const scalarSource = (path: JsPath): string | undefined => {
    const found = findNode(doc, path);
    if (!found.complete || !isScalar(found.node) || !found.node.range) return undefined;
    return file.text.slice(found.node.range[0], found.node.range[1]);
  };

  return { file, value, warnings, locate, locateKey, locateInString, scalarSource };
}

const samePath = (a: JsPath, b: JsPath): boolean =>
  a.length === b.length && a.every((p, i) => p === b[i]);
