/**
 * Lazy path → node lookup in a parsed YAML document. Nothing is indexed up front: a
 * lookup walks `doc.contents` along the path, following aliases and merge keys (`<<`),
 * and stops at the deepest node that exists. Only error reporting calls this.
 */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { JsPath } from "./types.js";

export interface Found {
  /** The deepest node reached along the path (the document root when nothing matched). */
  node: Node | null;
  /**
   * The map entry of the last path segment that went through a mapping; when its
   * value is empty (`key:`), `node` is the mapping and only the key has a position.
   */
  pair: Pair | null;
  /** True when the whole path was found. */
  complete: boolean;
}

const MAX_ALIAS_HOPS = 64;

function deref(doc: Document, value: unknown): Node | null {
  let current = value;
  for (let hops = 0; isAlias(current) && hops < MAX_ALIAS_HOPS; hops++) {
    current = current.resolve(doc);
  }
  return isNode(current) && !isAlias(current) ? current : null;
}

/** The JS key a YAML map key becomes in `toJS()` (scalars only; others never match). */
function keyString(key: unknown): string | null {
  if (!isScalar(key)) return null;
  const v = key.value;
  if (v === null || v === undefined) return "";
  return typeof v === "symbol" ? (v.description ?? "") : String(v);
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === "<<" || (typeof v === "symbol" && v.description === "<<");
}

function mergeSources(doc: Document, value: unknown): Node[] {
  const source = deref(doc, value);
  if (isSeq(source)) return source.items.map((item) => deref(doc, item)).filter(isMap);
  return isMap(source) ? [source] : [];
}

/** The entry of `key` in a mapping: its own pairs first, then merged mappings in order. */
function findPair(doc: Document, map: Node, key: string, depth: number): Pair | null {
  if (!isMap(map) || depth > MAX_ALIAS_HOPS) return null;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key) && keyString(pair.key) === key) return pair;
  }
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    for (const source of mergeSources(doc, pair.value)) {
      const found = findPair(doc, source, key, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

export function findNode(doc: Document, path: JsPath): Found {
  let node = deref(doc, doc.contents);
  let pair: Pair | null = null;
  for (const [i, segment] of path.entries()) {
    if (node === null) return { node, pair, complete: false };
    if (isSeq(node)) {
      const index = typeof segment === "number" ? segment : Number(segment);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      const next = deref(doc, item);
      if (next === null) return { node, pair, complete: false };
      node = next;
      pair = null;
    } else if (isMap(node)) {
      const found = findPair(doc, node, String(segment), 0);
      if (!found) return { node, pair, complete: false };
      pair = found;
      const next = deref(doc, found.value);
      if (next === null) return { node, pair, complete: i === path.length - 1 };
      node = next;
    } else {
      return { node, pair, complete: false };
    }
  }
  return { node, pair, complete: true };
}
