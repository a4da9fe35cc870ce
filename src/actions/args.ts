/**
 * Typed readers for an action's rendered args. A wrong or missing arg throws
 * ArgError, which `guarded` (registry.ts) turns into a failed outcome, so that each
 * action reads its args in straight-line code.
 */
import { parseSize } from "../schema/size.js";

export class ArgError extends Error {
  override readonly name = "ArgError";
}

type Args = Record<string, unknown>;

export function optString(args: Args, key: string): string | null {
  const v = args[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new ArgError(`'${key}' must be a string`);
}

export function reqString(args: Args, key: string): string {
  const v = optString(args, key);
  if (v === null || v === "") throw new ArgError(`'${key}' is required`);
  return v;
}

export function optBool(args: Args, key: string, dflt: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "yes") return true;
  if (v === "false" || v === "no") return false;
  throw new ArgError(`'${key}' must be true or false`);
}

export function optNumber(args: Args, key: string): number | null {
  const v = args[key];
  if (v === undefined || v === null) return null;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n === "number" && Number.isFinite(n)) return n;
  throw new ArgError(`'${key}' must be a number`);
}

export function optRecord(args: Args, key: string): Args | null {
  const v = args[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "object" && !Array.isArray(v)) return v as Args;
  throw new ArgError(`'${key}' must be a mapping`);
}

/** A string, or a list of strings (e.g. `assert.that`). */
export function stringList(args: Args, key: string): string[] {
  const v = args[key];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  throw new ArgError(`'${key}' must be a string or a list of strings`);
}

/** Durations as in playbooks: a number of seconds, or "500ms", "30s", "5m", "1h". */
export function optDurationMs(args: Args, key: string): number | null {
  const v = args[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && v >= 0) return v * 1000;
  const m = typeof v === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v) : null;
  if (!m) throw new ArgError(`'${key}' must be a duration such as 30s or 5m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] ?? 1000;
  return Number(m[1]) * unit;
}

/** Sizes as in playbooks: a number of bytes, or "512K", "100MB", "10GiB" (see schema/size.ts). */
export function optSizeBytes(args: Args, key: string): number | null {
  const v = args[key];
  if (v === undefined || v === null) return null;
  const bytes = parseSize(v);
  if (bytes === null || bytes < 1)
    throw new ArgError(`'${key}' must be a size such as 500MB or 10GiB`);
  return bytes;
}
