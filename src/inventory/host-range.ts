/**
 * A host entry of an inventory → host names and a port, as Ansible reads it
 * (`parse_address` + `expand_hostname_range`): `db1:2222`, `[::1]:22`,
 * `web[01:20].example.com` (zero-padded, equal widths), `10.0.0.[1:3]`, `[a:c]`
 * letters, `[0:10:2]` steps, several ranges in one name.
 */
import { err, ok, type Result } from "../model/index.js";

export interface HostEntry {
  names: string[];
  port: number | null;
}

export interface RangeError {
  message: string;
  /** Offset in the entry of the `[` of the range at fault. */
  offset: number;
}

/** More names than this from one entry is a typo, not a fleet. */
const MAX_EXPANDED = 100_000;

const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE})(?:[\p{L}\p{N}_-]|${RANGE})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, "iu");
const IP_PART = String.raw`(?:[0-9]{1,3}|\[[0-9]+:[0-9]+(?::[0-9]+)?\])`;
const IPV4 = new RegExp(String.raw`^(?:${IP_PART}\.){3}${IP_PART}$`);
/** Loose on purpose (hex groups with `::` or eight of them): tells an IPv6 address from `a:b`. */
const IPV6 = /^(?=.*::|(?:[^:]*:){7}[^:]*$)[0-9a-f:.]+$/i;
const BRACKETED_PORT = /^\[(.+)\]:([0-9]+)$/;
const HOST_PORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

/** Splits off a port and checks the name's shape; an unusual name is kept whole. */
function splitPort(entry: string): { pattern: string; port: number | null } {
  let address = entry;
  let port: number | null = null;
  for (const re of [BRACKETED_PORT, HOST_PORT]) {
    const m = re.exec(address);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      address = m[1];
      port = Number(m[2]);
    }
  }
  return isName(address) ? { pattern: address, port } : { pattern: entry, port: null };
}

const isName = (s: string): boolean => IPV4.test(s) || IPV6.test(s) || HOSTNAME.test(s);

/** A host name, IP address or range, with an optional port: Ansible's `parse_address`. */
export function isAddress(s: string): boolean {
  const m = BRACKETED_PORT.exec(s) ?? HOST_PORT.exec(s);
  return isName(m?.[1] ?? s);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The values of one `[begin:end(:step)]`, as strings, or why not. */
function rangeValues(spec: string): string[] | string {
  const bounds = spec.split(":");
  if (bounds.length !== 2 && bounds.length !== 3) {
    return "a host range must be [begin:end] or [begin:end:step]";
  }
  const begin = bounds[0] === "" ? "0" : (bounds[0] ?? "0");
  const end = bounds[1] ?? "";
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (end === "") return "a host range must have an end value";
  if (!Number.isInteger(step) || step <= 0) return "a host range step must be a positive integer";
  if (LETTERS.includes(begin) && begin.length === 1 && end.length === 1 && LETTERS.includes(end)) {
    const from = LETTERS.indexOf(begin);
    const to = LETTERS.indexOf(end);
    if (from > to) return "a host range must have begin <= end";
    return [...LETTERS.slice(from, to + 1)].filter((_, i) => i % step === 0);
  }
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) {
    return `a host range must be numbers or single letters, not '${spec}'`;
  }
  const padded = begin.length > 1 && begin.startsWith("0");
  if (padded && begin.length !== end.length) {
    return "a zero-padded host range must have begin and end of equal width";
  }
  const from = Number(begin);
  const to = Number(end);
  if (from > to) return "a host range must have begin <= end";
  if ((to - from) / step >= MAX_EXPANDED)
    return `a host range may give at most ${MAX_EXPANDED} names`;
  const values: string[] = [];
  for (let i = from; i <= to; i += step) {
    values.push(padded ? String(i).padStart(begin.length, "0") : String(i));
  }
  return values;
}

/** Expands every range in `pattern`, leftmost first, as Ansible does. */
function expand(pattern: string, base: number): Result<string[], RangeError> {
  const open = pattern.indexOf("[");
  if (open === -1) return ok([pattern]);
  const close = pattern.indexOf("]", open);
  if (close === -1) return err({ message: "a host range has no closing ']'", offset: base + open });
  const values = rangeValues(pattern.slice(open + 1, close));
  if (typeof values === "string") return err({ message: values, offset: base + open });
  const names: string[] = [];
  for (const value of values) {
    const tail = expand(pattern.slice(close + 1), base + close + 1);
    if (!tail.ok) return tail;
    for (const rest of tail.value) names.push(pattern.slice(0, open) + value + rest);
    if (names.length > MAX_EXPANDED) {
      return err({ message: `a host range may give at most ${MAX_EXPANDED} names`, offset: open });
    }
  }
  return ok(names);
}

export function parseHostEntry(entry: string): Result<HostEntry, RangeError> {
  const { pattern, port } = splitPort(entry);
  const names = expand(pattern, entry.indexOf(pattern));
  return names.ok ? ok({ names: names.value, port }) : names;
}
