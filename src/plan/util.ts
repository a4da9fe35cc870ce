/** Small pure helpers of the planner: value shapes, lists, paths. */
import { posix } from "node:path";
import type { LoopContext } from "../model/plan.js";
import type { Expr } from "../schema/index.js";
import type { TreeEntry } from "./inputs.js";
import { stripExpressionBraces } from "../template/index.js";
import { sha256Hex } from "./digest.js";

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * `when`/`changed_when`/`failed_when` as expressions. Ansible users often write
 * `when: "{{ flag }}"`: the braces are dropped, and `offset` says where the expression
 * starts in the YAML string, for errors.
 */
export function whenEntries(v: readonly Expr[]): { expr: string; offset: number }[] {
  return v.map((e) => stripExpressionBraces(e.source));
}

export function whenList(v: readonly Expr[]): string[] {
  return whenEntries(v).map((e) => e.expr);
}

/** One expression for the plan: a list means all must hold. */
export function expressionText(v: readonly Expr[]): string | null {
  const parts = whenList(v);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" and ");
}

/** The variables loopVars binds: they change from one iteration to the next. */
export const LOOP_VARIABLES: ReadonlySet<string> = new Set(["item", "index", "first", "last"]);

export function loopVars(loop: LoopContext): Record<string, unknown> {
  return { item: loop.item, index: loop.index, first: loop.first, last: loop.last };
}

/**
 * A loop iteration's name tells which item it is, as Ansible's `(item=…)` does, when the
 * playbook's name does not already say it: "Create user dir (alice)".
 */
export function itemLabel(loop: LoopContext): string {
  const item = loop.type === "with_filetree" ? (loop.item as { path?: unknown }).path : loop.item;
  const text = typeof item === "string" ? item : JSON.stringify(item);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A path relative to the root's directory; absolute paths stay as they are. */
export function resolvePath(dir: string, path: string): string {
  if (path.startsWith("/") || path.startsWith("~")) return path;
  return posix.normalize(posix.join(dir === "" ? "." : dir, path));
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v === "string" ? "a string" : `a ${typeof v}`} (${JSON.stringify(v)})`;
}

/** A stand-in content for a directory walked by with_filetree, so that saved plans notice a changed tree. */
export function treeFingerprint(entries: readonly TreeEntry[]): string {
  return sha256Hex(
    entries.map((e) => `${e.path}\t${e.is_dir ? "d" : "f"}\t${e.size}\t${e.mode}`).join("\n"),
  );
}

/** 1-based line and column of a 0-based offset into `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
