/**
 * Ansible's host patterns (`hosts:`, `--limit`) → host names, as Ansible's
 * InventoryManager evaluates them:
 *
 * - terms are split on `,`, or else on `:` (a lone host, IP or range keeps its colons);
 * - a term is a host, a group (its hosts and its children's), `all`/`*`, a glob (`web*`,
 *   `*.example.com`, `[ab]?`), a regex (`~web\d+`, matched from the start), `@file` (one
 *   term a line, e.g. a run's failed-hosts file), with an optional subscript
 *   (`web[0]`, `web[1:3]`, `web[-1]`);
 * - plain terms are unions, then `&term` intersects, then `!term` excludes, whatever
 *   their order in the pattern (only `&`/`!` terms start from `all`);
 * - `localhost`, `127.0.0.1` and `::1` name the implicit local host when the inventory
 *   does not define them.
 *
 * The result is in inventory order without duplicates (the implicit local host last).
 * A term that matches nothing is a warning, as in Ansible; a bad regex, a bad subscript
 * or an unreadable @file is an error.
 */
import { RE2JS } from "re2js";
import type { Diagnostic, SourcePos } from "../model/index.js";
import { isAddress } from "./host-range.js";
import { groupMembers } from "./members.js";
import type { Inventory } from "./types.js";

export const LOCALHOST_NAMES = ["localhost", "127.0.0.1", "::1"];

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+):([0-9]*))\]$/;
const COLON_TERMS = /(?:[^\s:[\]]|\[[^\]]*\])+/g;

export function splitPattern(pattern: string): string[] {
  let terms: string[];
  if (pattern.includes(",")) terms = pattern.split(",");
  else if (isAddress(pattern.trim())) terms = [pattern];
  else terms = pattern.match(COLON_TERMS) ?? [];
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? "";
    if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else if (ch === "[") {
      let j = i + 1;
      if (glob[j] === "!") j++;
      if (glob[j] === "]") j++;
      while (j < glob.length && glob[j] !== "]") j++;
      if (j >= glob.length) out += "\\[";
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        else if (body.startsWith("^")) body = `\\${body}`;
        out += `[${body}]`;
        i = j;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${out})$`, "s");
}

type Matcher = (name: string) => boolean;

function matcher(term: string): Matcher | string {
  if (!term.startsWith("~")) {
    const re = globToRegExp(term);
    return (name) => re.test(name);
  }
  try {
    const re = RE2JS.compile(term.slice(1));
    return (name) => re.matcher(name).lookingAt();
  } catch (e) {
    return `invalid regular expression in host pattern '${term}': ${(e as Error).message.replace(/^error parsing regexp: /, "")}`;
  }
}

export interface Selection {
  hosts: string[];
  diagnostics: Diagnostic[];
}

class Evaluator {
  readonly diagnostics: Diagnostic[] = [];
  readonly order = new Map<string, number>();
  readonly members: Map<string, string[]>;

  constructor(
    readonly inv: Inventory,
    readonly at: SourcePos | undefined,
  ) {
    for (const [i, h] of inv.hosts.entries()) this.order.set(h.name, i);
    this.members = groupMembers(inv);
  }

  report(severity: "error" | "warning", code: string, message: string, hint?: string): void {
    this.diagnostics.push({
      severity,
      code,
      message,
      ...(this.at ? { pos: this.at } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  sorted(names: Iterable<string>): string[] {
    const big = Number.MAX_SAFE_INTEGER;
    return [...new Set(names)].sort(
      (a, b) => (this.order.get(a) ?? big) - (this.order.get(b) ?? big),
    );
  }

  /** The hosts one term (without its `&`/`!`) names, in inventory order. */
  term(term: string): string[] | null {
    if (this.order.has(term)) return [term];
    const sub = term.startsWith("~") ? null : SUBSCRIPT.exec(term);
    const expr = sub?.[1] ?? term;
    const match = matcher(expr);
    if (typeof match === "string") {
      this.report("error", "host-pattern", match);
      return null;
    }
    const found: string[] = [];
    const groups = [...this.inv.groups.keys()].filter(match);
    for (const g of groups) found.push(...(this.members.get(g) ?? []));
    if (groups.length === 0 || /^~|[.?*[]/.test(expr)) {
      for (const h of this.inv.hosts) if (match(h.name)) found.push(h.name);
    }
    let hosts = this.sorted(found);
    if (hosts.length === 0 && LOCALHOST_NAMES.includes(expr)) hosts = [expr];
    if (hosts.length === 0 && groups.length === 0 && expr !== "all") {
      this.report("warning", "no-hosts-matched", `no hosts matched '${term}'`);
    }
    return sub ? this.subscript(hosts, term, sub) : hosts;
  }

  subscript(hosts: string[], term: string, sub: RegExpExecArray): string[] | null {
    if (hosts.length === 0) return hosts;
    if (sub[2] !== undefined) {
      const i = Number(sub[2]);
      const host = hosts.at(i);
      if (host !== undefined && i < hosts.length) return [host];
      this.report(
        "error",
        "host-pattern",
        `no host at index ${i} in '${term}' (${hosts.length} hosts)`,
      );
      return null;
    }
    const start = Number(sub[3]);
    const end = sub[4] === "" ? hosts.length - 1 : Number(sub[4]);
    return hosts.slice(start, end + 1);
  }
}

/** `@file` terms → the terms of the file's lines, keeping a `&`/`!` prefix. */
function expandFiles(
  terms: string[],
  readFile: (path: string) => string | null,
  ev: Evaluator,
): string[] | null {
  const out: string[] = [];
  for (const term of terms) {
    const prefix = /^[&!]/.test(term) ? (term[0] ?? "") : "";
    const rest = term.slice(prefix.length);
    if (!rest.startsWith("@")) {
      out.push(term);
      continue;
    }
    const text = readFile(rest.slice(1));
    if (text === null) {
      ev.report("error", "host-pattern", `cannot read the host list '${rest.slice(1)}'`);
      return null;
    }
    for (const line of text.split("\n")) if (line.trim() !== "") out.push(prefix + line.trim());
  }
  return out;
}

export function selectHosts(
  inv: Inventory,
  pattern: string,
  readFile: (path: string) => string | null,
  at?: SourcePos,
): Selection {
  const ev = new Evaluator(inv, at);
  const split = splitPattern(pattern);
  const bare = split.find((t) => /^[&!]$/.test(t));
  if (bare !== undefined) {
    ev.report(
      "error",
      "host-pattern",
      `'${bare}' must be followed by a host or group in '${pattern}'`,
    );
    return { hosts: [], diagnostics: ev.diagnostics };
  }
  const terms = expandFiles(split, readFile, ev);
  if (terms === null) return { hosts: [], diagnostics: ev.diagnostics };
  const plain = terms.filter((t) => !/^[&!]/.test(t));
  const ordered = [
    ...(plain.length === 0 ? ["all"] : plain),
    ...terms.filter((t) => t.startsWith("&")),
    ...terms.filter((t) => t.startsWith("!")),
  ];
  let hosts: string[] = [];
  for (const term of ordered) {
    const op = term[0];
    const found = ev.term(op === "&" || op === "!" ? term.slice(1) : term);
    if (found === null) return { hosts: [], diagnostics: ev.diagnostics };
    const set = new Set(found);
    if (op === "&") hosts = hosts.filter((h) => set.has(h));
    else if (op === "!") hosts = hosts.filter((h) => !set.has(h));
    else hosts = ev.sorted([...hosts, ...found]);
  }
  return { hosts, diagnostics: ev.diagnostics };
}
