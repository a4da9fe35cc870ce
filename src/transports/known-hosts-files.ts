/**
 * The host-key policy with its files: reads `~/.ssh/known_hosts`,
 * `/etc/ssh/ssh_known_hosts` and cairn's own pins (`~/.cairn/known_hosts`), and decides
 * whether a server's key is accepted. `strict` refuses an unknown key, `accept-new`
 * pins it in cairn's file (one appended line) and accepts, `off` accepts it with a
 * warning; a CHANGED or revoked key is refused in every mode.
 */
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import {
  certAuthoritiesFor,
  fingerprint,
  judgeHostKey,
  type KnownHostEntry,
  keyTypeOf,
  knownKeyTypes,
  lookupName,
  parseKnownHosts,
  pinLine,
} from "./known-hosts.js";

export type HostKeyChecking = "strict" | "accept-new" | "off";

export interface HostKeyPolicy {
  host: string;
  port: number;
  mode: HostKeyChecking;
  /** @default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts */
  knownHostsFiles?: string[] | undefined;
  /** @default ~/.cairn/known_hosts */
  cairnKnownHosts?: string | undefined;
  warn(message: string): void;
}

export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), ".ssh", "known_hosts"), "/etc/ssh/ssh_known_hosts"];
}

export function defaultCairnKnownHosts(): string {
  return join(homedir(), ".cairn", "known_hosts");
}

/** Every entry of the files that exist; a missing file is an empty one. */
function readEntries(files: readonly string[]): KnownHostEntry[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch {
      return [];
    }
    return parseKnownHosts(text, f);
  });
}

function policyFiles(p: HostKeyPolicy): string[] {
  return [
    ...(p.knownHostsFiles ?? defaultKnownHostsFiles()),
    p.cairnKnownHosts ?? defaultCairnKnownHosts(),
  ];
}

/** The key types the files list for the host (to ask the server for those first). */
export function preferredKeyTypes(p: HostKeyPolicy): string[] {
  return knownKeyTypes(readEntries(policyFiles(p)), lookupName(p.host, p.port));
}

/** null = accepted; otherwise why the key is refused, in words for the user. */
export function checkHostKey(p: HostKeyPolicy, key: Buffer): string | null {
  const name = lookupName(p.host, p.port);
  const entries = readEntries(policyFiles(p));
  for (const ca of certAuthoritiesFor(entries, name)) {
    p.warn(`${ca.where}: @cert-authority entries are not supported by cairn; ignored`);
  }
  const verdict = judgeHostKey(entries, name, key);
  const fp = fingerprint(key);
  switch (verdict.kind) {
    case "known":
      return null;
    case "revoked":
      return `host key for ${name} (${keyTypeOf(key)} ${fp}) is marked @revoked in ${verdict.where}; refusing to connect`;
    case "changed":
      return (
        `HOST KEY FOR ${name} HAS CHANGED: the server presents ${keyTypeOf(key)} ${fp}, ` +
        `but ${verdict.where} lists ${fingerprint(verdict.knownKey)}. This may be an attack ` +
        `(or the host was reinstalled). Refused in every host_key_checking mode: remove the ` +
        `old line (ssh-keygen -R '${name}') once you have checked the new key.`
      );
    case "unknown":
      return acceptUnknown(p, name, key, fp);
  }
}

function acceptUnknown(p: HostKeyPolicy, name: string, key: Buffer, fp: string): string | null {
  if (p.mode === "off") {
    p.warn(
      `host key checking is OFF: accepting ${keyTypeOf(key)} ${fp} of ${name} without verification`,
    );
    return null;
  }
  if (p.mode === "accept-new") {
    const file = p.cairnKnownHosts ?? defaultCairnKnownHosts();
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // One write of one line with O_APPEND: concurrent pins never interleave.
      appendFileSync(file, pinLine(name, key), { mode: 0o600 });
    } catch (e) {
      return `cannot pin the host key of ${name} in ${file}: ${e instanceof Error ? e.message : String(e)}`;
    }
    return null;
  }
  const port = p.port === 22 ? "" : `-p ${p.port} `;
  return (
    `host key of ${name} is unknown (${keyTypeOf(key)} ${fp}); refusing to connect ` +
    `(host_key_checking=strict). Check the fingerprint, then add it: ` +
    `ssh-keyscan ${port}${p.host} >> ~/.ssh/known_hosts, or set cairn_host_key_checking=accept-new`
  );
}
