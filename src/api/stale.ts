/**
 * Is a saved plan still the plan its sources would give? (SPEC §2.4, shared by
 * `apply` and `resume`.) The digest must match the plan's content; every entry of
 * `sources` is hashed again (a directory by its tree fingerprint, as the planner
 * does); every fact the plan used is gathered again. Each difference is named.
 */
import { diskView } from "./disk-view.js";
import { localFacts } from "../facts/index.js";
import type { Plan } from "../model/plan.js";
import { sha256Hex } from "../plan/index.js";
import { treeFingerprint } from "../plan/util.js";

/** The reasons the plan is stale; empty when it is current. */
export function staleReasons(plan: Plan, rootDir: string): string[] {
  const reasons: string[] = [];
  const { digest, format_version, ...rest } = plan;
  const body = { format_version, ...rest };
  const actual = `sha256:${sha256Hex(JSON.stringify(body))}`;
  if (digest !== actual)
    reasons.push(
      `the plan's digest does not match its content (${short(digest)} → ${short(actual)}): it was edited`,
    );
  const fs = diskView(rootDir);
  for (const source of plan.sources) {
    const now = hashSource(fs, source.path);
    if (now === null) reasons.push(`${source.path} is gone (it was read by the plan)`);
    else if (now !== source.sha256)
      reasons.push(`${source.path} changed (sha256 ${short(source.sha256)} → ${short(now)})`);
  }
  for (const [target, facts] of Object.entries(plan.facts)) {
    if (target !== "local") continue;
    const gathered = localFacts();
    for (const [name, value] of Object.entries(facts)) {
      const now = gathered.get(name);
      if (JSON.stringify(now) !== JSON.stringify(value))
        reasons.push(`facts.${target}.${name} changed (${show(value)} → ${show(now)})`);
    }
  }
  return reasons;
}

function hashSource(fs: ReturnType<typeof diskView>, path: string): string | null {
  if (path.endsWith("/")) {
    const entries = fs.walk(path.slice(0, -1));
    if (entries === null) return null;
    return treeFingerprint(
      [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    );
  }
  return fs.sha256(path);
}

function short(hash: string): string {
  return `${hash.replace(/^sha256:/, "").slice(0, 4)}…`;
}

function show(v: unknown): string {
  if (v === undefined) return "absent";
  const s = typeof v === "string" ? `'${v}'` : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
