/**
 * One SSH connection to one host, opened lazily by the first step that needs it and
 * shared by every later one: connect timeout, retries with backoff (not after a refused
 * host key or failed authentication: those do not get better by asking again),
 * keepalive, host-key checking (known-hosts-files.ts) and authentication
 * (ssh-auth.ts). When it cannot be opened or drops, the steps waiting on it learn why
 * (`unreachable`); the next step tries to connect again.
 */
import { userInfo } from "node:os";
// ssh2 is CommonJS: Node's ESM loader finds no named exports in it.
import ssh2, { type Client } from "ssh2";
import { authMethods } from "./ssh-auth.js";
import { checkHostKey, type HostKeyChecking, preferredKeyTypes } from "./known-hosts-files.js";

export interface SshConnection {
  /** The inventory host name (for messages). */
  name: string;
  host: string;
  port: number;
  /** null = the current user. */
  user: string | null;
  keyFile: string | null;
  hostKeyChecking: HostKeyChecking;
  knownHostsFiles?: string[];
  /** cairn's own pins for accept-new. @default ~/.cairn/known_hosts */
  cairnKnownHosts?: string;
  connectTimeoutMs: number;
  /** Further attempts after a failed connect. */
  connectRetries: number;
  keepaliveMs: number;
}

/** A connection that could not be made or was lost; `final` = not worth retrying. */
export class Unreachable extends Error {
  constructor(
    message: string,
    readonly final = false,
  ) {
    super(message);
  }
}

/** ssh2's default host key algorithms, in its order of preference. */
const HOST_KEY_ALGOS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

/** The algorithms with those of the known key types first (an RSA key signs as rsa-sha2-*). */
function hostKeyOrder(knownTypes: readonly string[]): string[] {
  const first = HOST_KEY_ALGOS.filter((a) =>
    knownTypes.some((t) => t === a || (t === "ssh-rsa" && a.startsWith("rsa-sha2-"))),
  );
  return [...first, ...HOST_KEY_ALGOS.filter((a) => !first.includes(a))];
}

export class Connection {
  private client: Promise<Client> | null = null;
  private readonly lostListeners = new Set<(why: string) => void>();
  private readonly warned = new Set<string>();

  constructor(
    readonly conn: SshConnection,
    private readonly warn: (message: string) => void,
  ) {}

  get user(): string {
    return this.conn.user ?? userInfo().username;
  }

  /** The open client, connecting first if need be; rejects with Unreachable. */
  get(): Promise<Client> {
    this.client ??= this.connectWithRetries().catch((e: unknown) => {
      this.client = null;
      throw e;
    });
    return this.client;
  }

  /** Called with the reason when the open connection drops; returns the unsubscribe. */
  onLost(listener: (why: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Ends the connection gracefully (a no-op when none is open). */
  async close(): Promise<void> {
    const pending = this.client;
    this.client = null;
    if (pending === null) return;
    let client: Client;
    try {
      client = await pending;
    } catch {
      return;
    }
    await new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      client.end();
    });
  }

  private async connectWithRetries(): Promise<Client> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.conn.connectRetries; attempt++) {
      if (attempt > 0) await sleep(Math.min(250 * 2 ** attempt, 4000));
      try {
        return await this.connectOnce();
      } catch (e) {
        last = e;
        if (e instanceof Unreachable && e.final) throw e;
      }
    }
    throw last;
  }

  private connectOnce(): Promise<Client> {
    const c = this.conn;
    const where = `${c.name} (${c.host}:${c.port})`;
    const auth = authMethods(this.user, c.keyFile, process.env.SSH_AUTH_SOCK);
    if (typeof auth === "string")
      return Promise.reject(new Unreachable(`cannot log in to ${where}: ${auth}`, true));
    const policy = {
      host: c.host,
      port: c.port,
      mode: c.hostKeyChecking,
      knownHostsFiles: c.knownHostsFiles,
      cairnKnownHosts: c.cairnKnownHosts,
      warn: (m: string) => this.warnOnce(m),
    };
    // Ask first for a key type the files know, so a host listed with only its RSA key is
    // not reported unknown because the server offered ed25519 (what ssh does too).
    const serverHostKey = hostKeyOrder(preferredKeyTypes(policy));
    let refused: string | null = null;
    const client = new ssh2.Client();
    return new Promise((resolve, reject) => {
      let ready = false;
      client.once("ready", () => {
        ready = true;
        resolve(client);
      });
      client.on("error", (e: Error & { level?: string }) => {
        if (ready) return this.lost(client, `connection to ${where} failed: ${e.message}`);
        if (refused !== null) return reject(new Unreachable(`${where}: ${refused}`, true));
        const msg = `cannot connect to ${where}: ${e.message}`;
        reject(new Unreachable(msg, e.level === "client-authentication"));
      });
      client.on("close", () => {
        if (ready) this.lost(client, `connection to ${where} closed`);
        else reject(new Unreachable(`cannot connect to ${where}: connection closed`));
      });
      client.connect({
        host: c.host,
        port: c.port,
        username: this.user,
        readyTimeout: c.connectTimeoutMs,
        keepaliveInterval: c.keepaliveMs,
        keepaliveCountMax: 3,
        authHandler: auth,
        algorithms: { serverHostKey },
        hostVerifier: (key: Buffer) => {
          refused = checkHostKey(policy, key);
          return refused === null;
        },
      } as Parameters<Client["connect"]>[0]);
    });
  }

  private lost(client: Client, why: string): void {
    // Only the current connection's loss matters; a closed old one is already forgotten.
    void this.client?.then(
      (current) => {
        if (current !== client) return;
        this.client = null;
        for (const l of [...this.lostListeners]) l(why);
      },
      () => {},
    );
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
