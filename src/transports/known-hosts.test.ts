import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  fingerprint,
  hostMatches,
  judgeHostKey,
  keyTypeOf,
  knownKeyTypes,
  lookupName,
  parseKnownHosts,
  pinLine,
} from "./known-hosts.js";

/** A fake public key blob of `type` (the SSH wire format starts with the type string). */
function blob(type: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, randomBytes(32)]);
}

function line(hosts: string, key: Buffer, marker = ""): string {
  return `${marker}${hosts} ${keyTypeOf(key)} ${key.toString("base64")}`;
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  const mac = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${mac}`;
}

describe("known_hosts", () => {
  const ed = blob("ssh-ed25519");
  const ed2 = blob("ssh-ed25519");
  const rsa = blob("ssh-rsa");

  it("names a host as ssh looks it up: bare on port 22, [host]:port otherwise", () => {
    expect(lookupName("web1", 22)).toBe("web1");
    expect(lookupName("127.0.0.2", 2222)).toBe("[127.0.0.2]:2222");
  });

  it("parses entries and markers, skipping comments, blanks and broken lines", () => {
    const text = [
      "# comment",
      "",
      line("a,b", ed),
      line("*", rsa, "@revoked "),
      line("*.example", ed2, "@cert-authority "),
      "broken-line-with-no-key",
      "@unknown-marker a ssh-ed25519 AAAA",
    ].join("\n");
    const entries = parseKnownHosts(text, "f");
    expect(entries.map((e) => [e.marker, e.hosts, e.where])).toEqual([
      [null, "a,b", "f:3"],
      ["revoked", "*", "f:4"],
      ["cert-authority", "*.example", "f:5"],
    ]);
    expect(entries[0]?.key.equals(ed)).toBe(true);
  });

  it("matches comma lists, globs, negations and hashed names", () => {
    expect(hostMatches("a,[127.0.0.2]:2222,b", "[127.0.0.2]:2222")).toBe(true);
    expect(hostMatches("a,b", "c")).toBe(false);
    expect(hostMatches("*.example.org", "web1.example.org")).toBe(true);
    expect(hostMatches("web?", "web1")).toBe(true);
    expect(hostMatches("*.example.org,!db.example.org", "db.example.org")).toBe(false);
    expect(hostMatches("WEB1", "web1")).toBe(true);
    expect(hostMatches(hashed("[127.0.0.2]:2222"), "[127.0.0.2]:2222")).toBe(true);
    expect(hostMatches(hashed("[127.0.0.2]:2222"), "127.0.0.2")).toBe(false);
    expect(hostMatches("a.b", "axb")).toBe(false);
  });

  it("judges a key known, unknown, changed or revoked", () => {
    const entries = parseKnownHosts([line("web1", ed), line("web2", rsa)].join("\n"), "kh");
    expect(judgeHostKey(entries, "web1", ed)).toEqual({ kind: "known", where: "kh:1" });
    expect(judgeHostKey(entries, "web3", ed)).toEqual({ kind: "unknown" });
    expect(judgeHostKey(entries, "web1", ed2)).toMatchObject({ kind: "changed", where: "kh:1" });
    // Only a key of another type is listed: unknown for this type, as ssh says.
    expect(judgeHostKey(entries, "web2", ed)).toEqual({ kind: "unknown" });
    const revoked = parseKnownHosts([line("*", ed, "@revoked "), line("web1", ed)].join("\n"), "r");
    expect(judgeHostKey(revoked, "web1", ed)).toEqual({ kind: "revoked", where: "r:1" });
  });

  it("lists the key types known for a host, and writes pins ssh can read back", () => {
    const entries = parseKnownHosts(
      [line("web1", rsa), line("web1", ed), line("x", ed)].join("\n"),
      "kh",
    );
    expect(knownKeyTypes(entries, "web1")).toEqual(["ssh-rsa", "ssh-ed25519"]);
    const pinned = parseKnownHosts(pinLine("[h]:2222", ed), "pins");
    expect(judgeHostKey(pinned, "[h]:2222", ed).kind).toBe("known");
  });

  it("prints fingerprints as ssh does: SHA256 and unpadded base64", () => {
    expect(fingerprint(ed)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
