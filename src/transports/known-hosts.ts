/**
 * OpenSSH known_hosts, parsed and judged without I/O: which keys a file lists for a
 * host, and whether a presented host key is known, unknown, changed or revoked. Plain
 * entries, comma lists, `*`/`?` patterns and `!` negations, hashed names
 * (`|1|salt|hash`, HMAC-SHA1 of the name), `[host]:port` for ports other than 22,
 * `@revoked` and `@cert-authority` markers (the latter is not supported: reported so
 * the caller can warn). Files are read and written in known-hosts-files.ts.
 */
import { createHash, createHmac } from "node:crypto";

export interface KnownHostEntry {
  marker: "revoked" | "cert-authority" | null;
  /** The host field as written: comma-separated patterns, or one hashed name. */
  hosts: string;
  keyType: string;
  /** The public key blob (SSH wire format), as base64 in the file. */
  key: Buffer;
  /** Where it was read, for messages: `file:line`. */
  where: string;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function lookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The entries of one file's text; lines that do not parse are skipped, as ssh does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry["marker"] = null;
    if (fields[0]?.startsWith("@")) {
      const m = fields.shift();
      if (m === "@revoked") marker = "revoked";
      else if (m === "@cert-authority") marker = "cert-authority";
      else return;
    }
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) return;
    const key = Buffer.from(b64, "base64");
    if (key.length === 0) return;
    out.push({ marker, hosts, keyType, key, where: `${file}:${i + 1}` });
  });
  return out;
}

/** Whether an entry's host field names `name` (a lookupName). */
export function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith("|1|")) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(",")) {
    const negated = pattern.startsWith("!");
    const p = negated ? pattern.slice(1) : pattern;
    if (!globMatches(p.toLowerCase(), name.toLowerCase())) continue;
    // A matching negation excludes the host whatever else matches (ssh's rule).
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split("|");
  if (salt === undefined || hash === undefined) return false;
  const mac = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
  return mac === hash;
}

function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === name;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(name);
}

/** A key's fingerprint as ssh prints it: `SHA256:` and unpadded base64. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The algorithm name inside a public key blob (its first SSH string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return "";
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString("latin1");
}

export type Verdict =
  | { kind: "known"; where: string }
  | { kind: "unknown" }
  | { kind: "changed"; knownKey: Buffer; where: string }
  | { kind: "revoked"; where: string };

/**
 * How `key` stands against `entries` for `name`. A revoked key is refused first; a
 * listed key is known; another key of the same type listed for the host means the key
 * CHANGED; otherwise (nothing listed, or only keys of other types) it is unknown.
 */
export function judgeHostKey(
  entries: readonly KnownHostEntry[],
  name: string,
  key: Buffer,
): Verdict {
  const type = keyTypeOf(key);
  const revoked = entries.find((e) => e.marker === "revoked" && e.key.equals(key));
  if (revoked !== undefined) return { kind: "revoked", where: revoked.where };
  const mine = entries.filter((e) => e.marker === null && hostMatches(e.hosts, name));
  const same = mine.find((e) => e.key.equals(key));
  if (same !== undefined) return { kind: "known", where: same.where };
  const other = mine.find((e) => e.keyType === type);
  if (other !== undefined) return { kind: "changed", knownKey: other.key, where: other.where };
  return { kind: "unknown" };
}

/** `@cert-authority` lines that would apply to `name` (cairn does not check certificates). */
export function certAuthoritiesFor(
  entries: readonly KnownHostEntry[],
  name: string,
): KnownHostEntry[] {
  return entries.filter((e) => e.marker === "cert-authority" && hostMatches(e.hosts, name));
}

/** The key types listed for `name`, so the client can ask the server for one of those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries
    .filter((e) => e.marker === null && hostMatches(e.hosts, name))
    .map((e) => e.keyType);
  return [...new Set(types)];
}

/** The line cairn appends to its own file when it pins a key (accept-new). */
export function pinLine(name: string, key: Buffer): string {
  return `${name} ${keyTypeOf(key)} ${key.toString("base64")}\n`;
}
