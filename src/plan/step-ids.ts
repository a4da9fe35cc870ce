/**
 * Step ids during planning: each step gets a provisional id token while the playbook
 * is walked, and finalizeIds turns the tokens into final ids once every user `id:` is
 * known (SPEC §2.3).
 */
import { posix } from "node:path";
import type { LoopContext, PlanStep } from "../model/plan.js";
import type { Frame, Pending } from "./frame.js";
import { IdAllocator, slugify } from "./ids.js";
import type { Planner } from "./planner.js";
import type { DocPath } from "./render.js";

/** Provisional ids are `\u0001<n>\u0002` until finalizeIds; no user id contains these. */
const TOKEN_START = "\u0001";
const TOKEN_END = "\u0002";

/**
 * The id of a step before `[index]` suffixes, as a provisional token: final ids are
 * assigned by finalizeIds once every user `id:` is known, so that a user id wins
 * over a derived one wherever they are written (SPEC §2.3). Every iteration of a
 * looped include shares one base per step (its ids differ by the include's `[i]`),
 * so the base is remembered by where the step is written and how it was included.
 */
export function baseId(
  planner: Planner,
  step: { id: string | null; name: string | null },
  action: string,
  path: DocPath,
  frame: Frame,
  loops: LoopContext[],
  prefix: string,
): { id: string; derived: boolean } {
  const site = `${frame.chain.map((c) => `${c.file}:${c.line}:${c.column}`).join(">")}|${frame.file}|${path.join(".")}`;
  const known = loops.length > 0 ? planner.loopBases.get(site) : undefined;
  if (known !== undefined) return known;
  let name: string;
  const derived = step.id === null;
  if (step.id !== null) {
    name = prefix + step.id;
    if (planner.userIds.has(name)) {
      planner.error(frame, [...path, "id"], "duplicate-id", `duplicate step id '${name}'`);
    }
    planner.userIds.add(name);
  } else if (step.name !== null) {
    name = prefix + slugify(step.name.replace(/\{\{.*?\}\}/g, ""));
  } else {
    name = `${prefix}${action}-${slugify(prefix === "" ? frame.file : posix.basename(frame.file))}`;
  }
  const base = { id: `${TOKEN_START}${planner.tokens.size}${TOKEN_END}`, derived };
  planner.tokens.set(base.id, name);
  if (loops.length > 0) planner.loopBases.set(site, base);
  return base;
}

/**
 * Turns provisional id tokens into final ids: user ids as written, derived ones from
 * their slug with a numeric suffix only where taken (by a user id or an earlier
 * duplicate), in document order. Every reference (needs, groups, blocks,
 * compensations) follows.
 */
export function finalizeIds(planner: Planner, compensations: Pending[]): void {
  const ids = new IdAllocator();
  for (const id of planner.userIds) ids.claim(id);
  const final = new Map<string, string>();
  const lists = [planner.pending, planner.handlers, compensations];
  const derivedTokens = new Set<string>();
  for (const list of lists) for (const p of list) if (p.base.derived) derivedTokens.add(p.base.id);
  for (const [token, name] of planner.tokens)
    final.set(token, derivedTokens.has(token) ? ids.derive(name) : name);
  const rename = renamer(final);
  // The iterations of a loop share their base and their group: each is renamed once.
  const bases = new Map<Pending["base"], Pending["base"]>();
  const groups = new Map<Group, Group>();
  let lastBase: Pending["base"] | null = null;
  let renamedBase: Pending["base"] = { id: "", derived: false };
  for (const list of lists) {
    for (const p of list) {
      const base = p.base;
      if (base !== lastBase) {
        lastBase = base;
        renamedBase = memo(bases, base, () => ({ ...base, id: rename(base.id) }));
      }
      p.base = renamedBase;
      const { step } = p;
      // A step's needs are its own array (never shared), renamed in place; before the
      // step's id, so that a chain's need (the step before) is the renamer's last answer.
      const { needs } = step;
      for (let i = 0; i < needs.length; i++) needs[i] = rename(needs[i]!);
      step.id = rename(step.id);
      if (step.compensate.length > 0) step.compensate = step.compensate.map(rename);
      const group = step.group;
      if (group !== null)
        step.group = memo(groups, group, () => ({ ...group, id: rename(group.id) }));
    }
  }
  for (const b of planner.blocks) {
    b.main = b.main.map(rename);
    b.rescue = b.rescue.map(rename);
    b.always = b.always.map(rename);
  }
}

type Group = NonNullable<PlanStep["group"]>;

/**
 * Final id of a provisional one (its token replaced, any `[i]` kept). It remembers its
 * last answer and its last token: a loop's steps share one token, and a step of a
 * chain needs the step renamed just before it (then it gets the same string, whose
 * hash the later passes' sets and maps have computed already).
 */
function renamer(final: Map<string, string>): (id: string) => string {
  let lastId = "";
  let lastFinal = "";
  let token = "";
  let tokenFinal = "";
  return (id) => {
    if (id === lastId) return lastFinal;
    if (!id.startsWith(TOKEN_START)) return id;
    const end = id.indexOf(TOKEN_END) + 1;
    if (!(end === token.length && id.startsWith(token))) {
      const known = final.get(id.slice(0, end));
      if (known === undefined) return id + id.slice(end);
      token = id.slice(0, end);
      tokenFinal = known;
    }
    lastId = id;
    lastFinal = tokenFinal + id.slice(end);
    return lastFinal;
  };
}

function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  const made = make();
  map.set(key, made);
  return made;
}
