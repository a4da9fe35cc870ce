/**
 * The SSH transport against a real OpenSSH server started by the test (the remote host
 * is this machine, so `ps` here shows what a step left behind there). Only public entry
 * points: sshTransport() and the ProcessResult of each run.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SshConnection, sshTransport } from "../../src/transports/ssh.js";
import type { ProcessSpec } from "../../src/transports/transport.js";
import { processSpec } from "../helpers/process-spec.js";
import {
  ensureUser,
  freePort,
  keygen,
  type Sshd,
  sshdSkipReason,
  startSshd,
} from "../helpers/sshd.js";

const skip = sshdSkipReason();
if (skip !== null) console.warn(`skipping the SSH transport tests: ${skip}`);

/**
 * The accounts the tests log in as (root's own rc files may be slow, and steps mostly
 * run as a plain user): USER may sudo without a password, NOPW may not.
 */
const USER = "cairnsshtest";
const NOPW = "cairnsshnopw";
const SUDOERS = "/etc/sudoers.d/cairn-ssh-test";

let sshd: Sshd;
const open: { close(): Promise<void> }[] = [];

function conn(over: Partial<SshConnection> = {}): SshConnection {
  return {
    name: "web1",
    host: sshd.addresses[0] ?? "",
    port: sshd.port,
    user: USER,
    keyFile: sshd.clientKey,
    hostKeyChecking: "strict",
    knownHostsFiles: [sshd.knownHostsFile],
    cairnKnownHosts: join(sshd.dir, "cairn_known_hosts"),
    connectTimeoutMs: 5000,
    connectRetries: 0,
    keepaliveMs: 2000,
    ...over,
  };
}

function transport(
  over: Partial<SshConnection> = {},
  opts: Parameters<typeof sshTransport>[1] = {},
) {
  const warnings: string[] = [];
  const t = sshTransport(conn(over), { warn: (m) => warnings.push(m), ...opts });
  open.push(t);
  return Object.assign(t, { warnings });
}

/** Runs a spec and gathers its output as text per stream. */
async function run(t: ReturnType<typeof transport>, over: Partial<ProcessSpec> = {}) {
  const out = { stdout: "", stderr: "" };
  const r = await t.run(
    processSpec({
      onOutput: (stream, chunk) => {
        out[stream] += chunk.toString();
        return undefined;
      },
      ...over,
    }),
  );
  return { ...r, ...out };
}

const sh = (shell: string) => ({ command: { shell, interpreter: "sh" } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes on this machine (= the remote host) whose command line holds `marker`. */
function psWith(marker: string): string[] {
  return execFileSync("ps", ["-eo", "pid,stat,args"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes(marker) && !/\bZ/.test(l.trim().split(/\s+/)[1] ?? ""));
}

/** A sleep length nobody else uses, to find our processes in `ps`. */
function uniqueSeconds(): string {
  return `${1000 + (randomBytes(2).readUInt16BE() % 9000)}.${100 + (randomBytes(1).readUInt8() % 900)}`;
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

describe.skipIf(skip !== null)("the SSH transport against a real sshd", () => {
  beforeAll(async () => {
    sshd = await startSshd({ addresses: 3 });
    ensureUser(USER);
    ensureUser(NOPW);
    writeFileSync(SUDOERS, `${USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
    rmSync(SUDOERS, { force: true });
    await sshd?.stop();
  });

  describe("commands", () => {
    it("reports rc and keeps stdout and stderr apart", async () => {
      const t = transport();
      const r = await run(t, sh("echo out; echo err >&2; exit 3"));
      expect(r).toMatchObject({ rc: 3, signal: null, aborted: false, spawnError: null });
      expect(r.stdout).toBe("out\n");
      expect(r.stderr).toBe("err\n");
      expect(r.unreachable).toBeUndefined();
    });

    it("passes the environment inline, quotes, spaces, newlines and $ intact", async () => {
      const t = transport();
      const value = `it's "quoted" $HOME \\ back\nslash\n  spaced  `;
      const r = await run(t, {
        ...sh(`printf '%s|' "$V"; printf '%s' "$W"`),
        env: { V: value, W: "" },
      });
      expect(r.stdout).toBe(`${value}|`);
    });

    it("runs in cwd, and an argv command without a shell", async () => {
      const t = transport();
      expect((await run(t, { ...sh("pwd"), cwd: "/usr/share" })).stdout).toBe("/usr/share\n");
      const r = await run(t, { command: { argv: ["printf", "%s;", "a b", "it's", "$X"] } });
      expect(r.stdout).toBe("a b;it's;$X;");
    });

    it("a missing program or working directory is a spawnError, not an exit code", async () => {
      const t = transport();
      const missing = await run(t, { command: { argv: ["no-such-program-xyz"] } });
      expect(missing).toMatchObject({
        rc: null,
        spawnError: "command not found: no-such-program-xyz",
      });
      const badCwd = await run(t, { ...sh("true"), cwd: "/no/such/dir" });
      expect(badCwd.spawnError).toBe("working directory does not exist: /no/such/dir");
      expect(badCwd.stderr).toBe("");
    });

    it("reports the signal that killed the command", async () => {
      const r = await run(transport(), sh("kill -KILL $$"));
      expect(r).toMatchObject({ rc: null, signal: "SIGKILL" });
    });
  });

  describe("stdin and long scripts", () => {
    it("feeds text and bytes on stdin", async () => {
      const t = transport();
      expect((await run(t, { ...sh("cat"), stdin: "line 1\nline 2" })).stdout).toBe(
        "line 1\nline 2",
      );
      const bytes = Uint8Array.from([0, 1, 2, 255, 10, 13]);
      const r = await run(t, { ...sh("od -An -tu1 | tr -s ' '"), stdin: bytes });
      expect(r.stdout.trim()).toBe("0 1 2 255 10 13");
    });

    it("streams 50 MB of stdin with backpressure, without holding it", async () => {
      const t = transport();
      const chunk = Buffer.alloc(1 << 20, 97);
      let produced = 0;
      let peak = 0;
      const before = process.memoryUsage();
      async function* source() {
        for (let i = 0; i < 50; i++) {
          produced += chunk.length;
          const m = process.memoryUsage();
          peak = Math.max(peak, m.rss - before.rss);
          yield chunk;
        }
      }
      const r = await run(t, { ...sh("wc -c"), stdin: source() });
      expect(r.rc).toBe(0);
      expect(r.stdout.trim()).toBe(String(50 << 20));
      expect(produced).toBe(50 << 20);
      expect(peak).toBeLessThan(40 << 20);
    }, 60_000);

    it("pauses the channel while a slow consumer catches up, losing nothing", async () => {
      const t = transport();
      const bytes = { stdout: 0, stderr: 0 };
      let pending = 0;
      let maxPending = 0;
      const r = await t.run(
        processSpec({
          ...sh("head -c 4000000 /dev/zero; head -c 1000000 /dev/zero >&2"),
          onOutput: (stream, chunk) => {
            bytes[stream] += chunk.length;
            pending++;
            maxPending = Math.max(maxPending, pending);
            return new Promise<void>((resolve) =>
              setTimeout(() => {
                pending--;
                resolve();
              }, 1),
            );
          },
        }),
      );
      expect(r.rc).toBe(0);
      expect(bytes).toEqual({ stdout: 4_000_000, stderr: 1_000_000 });
      // Each stream waits for its consumer: never more than one chunk per stream in flight.
      expect(maxPending).toBeLessThanOrEqual(2);
    });

    it("runs a script far longer than a command line, with and without stdin", async () => {
      const t = transport();
      const lines = Array.from(
        { length: 6000 },
        (_, i) => `x=$((x + ${i})) # ${"pad ".repeat(10)}`,
      );
      const script = `x=0\n${lines.join("\n")}\necho "$x $V"; cat`;
      expect(script.length).toBeGreaterThan(200_000);
      const sum = (6000 * 5999) / 2;
      const noStdin = await run(t, { ...sh(script), env: { V: "v" } });
      expect(noStdin).toMatchObject({ rc: 0, stdout: `${sum} v\n`, stderr: "" });
      const withStdin = await run(t, { ...sh(script), env: { V: "v" }, stdin: "from stdin\n" });
      expect(withStdin).toMatchObject({ rc: 0, stdout: `${sum} v\nfrom stdin\n`, stderr: "" });
    });
  });

  describe("channels", () => {
    it("runs 15 steps at once on one connection, and 30 queued, without a channel error", async () => {
      const t = transport();
      for (const n of [15, 30]) {
        const rs = await Promise.all(
          Array.from({ length: n }, (_, i) => run(t, sh(`sleep 0.2; echo ${i}`))),
        );
        expect(rs.map((r) => r.stdout)).toEqual(rs.map((_, i) => `${i}\n`));
        expect(
          rs.every((r) => r.rc === 0 && r.spawnError === null && r.unreachable === undefined),
        ).toBe(true);
      }
    });

    it("waits for a free channel when sshd refuses one (limit set above MaxSessions)", async () => {
      const t = transport({}, { maxChannels: 25 });
      const rs = await Promise.all(
        Array.from({ length: 25 }, (_, i) => run(t, sh(`sleep 0.3; echo ${i}`))),
      );
      expect(rs.map((r) => r.stdout)).toEqual(rs.map((_, i) => `${i}\n`));
      expect(rs.every((r) => r.rc === 0)).toBe(true);
    });
  });

  describe("abort", () => {
    it.each([
      ["as the login user", false],
      ["under become", true],
    ])("a timeout kills the whole remote process group %s", async (_, become) => {
      const t = transport({}, { killGraceMs: 500 });
      const marker = uniqueSeconds();
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 1000);
      const r = await run(t, {
        ...sh(`sleep ${marker} & sleep ${marker}`),
        become,
        signal: ac.signal,
      });
      expect(r.aborted).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await eventually(() => psWith(`sleep ${marker}`).length === 0, 5000)).toBe(true);
    });

    it("kills a group that ignores TERM after the grace period", async () => {
      const t = transport({}, { killGraceMs: 300 });
      const marker = uniqueSeconds();
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 800);
      const r = await run(t, {
        ...sh(`trap '' TERM; sleep ${marker} & trap '' TERM; wait`),
        signal: ac.signal,
      });
      expect(r.aborted).toBe(true);
      expect(await eventually(() => psWith(`sleep ${marker}`).length === 0, 5000)).toBe(true);
    });
  });

  describe("become", () => {
    it("runs as root through passwordless sudo, with the environment kept", async () => {
      const t = transport();
      expect((await run(t, sh("id -un"))).stdout).toBe(`${USER}\n`);
      const root = await run(t, {
        ...sh(`id -un; echo "$V"`),
        become: true,
        env: { V: "it's a b" },
      });
      expect(root).toMatchObject({ rc: 0, stdout: "root\nit's a b\n" });
      const other = await run(t, { ...sh("id -un"), become: true, becomeUser: "nobody" });
      expect(other.stdout).toBe("nobody\n");
    });

    it("logged in as root, becomes root without sudo", async () => {
      const r = await run(transport({ user: "root" }), {
        command: { argv: ["id", "-u"] },
        become: true,
      });
      expect(r).toMatchObject({ rc: 0, stdout: "0\n" });
    });

    it("from a user without passwordless sudo fails with a hint", async () => {
      const r = await run(transport({ user: NOPW }), { ...sh("id -u"), become: true });
      expect(r.rc).not.toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/password is required|terminal is required/);
      expect(r.hint).toMatch(
        /^become needs passwordless sudo on web1: add a NOPASSWD rule for cairnsshnopw/,
      );
      expect(r.unreachable).toBeUndefined();
    });
  });

  describe("host keys", () => {
    const emptyKnownHosts = () => {
      const f = join(sshd.dir, `kh-${randomBytes(4).toString("hex")}`);
      writeFileSync(f, "");
      return f;
    };
    const otherKey = () => keygen(join(sshd.dir, `other-${randomBytes(4).toString("hex")}`));

    it("strict refuses an unknown key and says how to add it", async () => {
      const t = transport({ knownHostsFiles: [emptyKnownHosts()] });
      const r = await run(t, sh("echo never"));
      expect(r.stdout).toBe("");
      expect(r.unreachable).toContain("unknown");
      expect(r.unreachable).toContain(
        `ssh-keyscan -p ${sshd.port} 127.0.0.2 >> ~/.ssh/known_hosts`,
      );
      expect(r.unreachable).toContain("cairn_host_key_checking=accept-new");
    });

    it("accept-new pins the key in cairn's own file, then checks against it", async () => {
      const pins = join(sshd.dir, `pins-${randomBytes(4).toString("hex")}`, "known_hosts");
      const kh = emptyKnownHosts();
      const first = transport({
        hostKeyChecking: "accept-new",
        knownHostsFiles: [kh],
        cairnKnownHosts: pins,
      });
      expect((await run(first, sh("echo ok"))).stdout).toBe("ok\n");
      expect(readFileSync(pins, "utf8")).toBe(`[127.0.0.2]:${sshd.port} ${sshd.hostKeyLine}\n`);
      // Now known: even strict accepts it, and a second accept-new adds nothing.
      const strict = transport({ knownHostsFiles: [kh], cairnKnownHosts: pins });
      expect((await run(strict, sh("echo ok"))).stdout).toBe("ok\n");
      const again = transport({
        hostKeyChecking: "accept-new",
        knownHostsFiles: [kh],
        cairnKnownHosts: pins,
      });
      expect((await run(again, sh("echo ok"))).rc).toBe(0);
      expect(readFileSync(pins, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    });

    it.each(["strict", "accept-new", "off"] as const)(
      "a CHANGED key is refused in mode %s",
      async (mode) => {
        const kh = emptyKnownHosts();
        writeFileSync(kh, `[127.0.0.2]:${sshd.port} ${otherKey()}\n`);
        const t = transport({ hostKeyChecking: mode, knownHostsFiles: [kh] });
        const r = await run(t, sh("echo never"));
        expect(r.stdout).toBe("");
        expect(r.unreachable).toMatch(/HOST KEY FOR \[127\.0\.0\.2\]:\d+ HAS CHANGED/);
        const fps = r.unreachable?.match(/SHA256:[A-Za-z0-9+/]{43}/g) ?? [];
        expect(new Set(fps).size).toBe(2);
      },
    );

    it("off accepts an unknown key with one loud warning per host", async () => {
      const t = transport({ hostKeyChecking: "off", knownHostsFiles: [emptyKnownHosts()] });
      await run(t, sh("true"));
      await t.close();
      await run(t, sh("true"));
      expect(t.warnings).toHaveLength(1);
      expect(t.warnings[0]).toMatch(/host key checking is OFF.*\[127\.0\.0\.2\]/);
    });

    it("reads hashed entries, comma lists, and refuses @revoked keys", async () => {
      const hashed = emptyKnownHosts();
      writeFileSync(hashed, `example.org,[127.0.0.2]:${sshd.port} ${sshd.hostKeyLine}\n`);
      execFileSync("ssh-keygen", ["-q", "-H", "-f", hashed], { stdio: "ignore" });
      expect(readFileSync(hashed, "utf8")).toMatch(/^\|1\|/);
      const list = emptyKnownHosts();
      writeFileSync(list, `a.example,[127.0.0.2]:${sshd.port},b.example ${sshd.hostKeyLine}\n`);
      for (const kh of [hashed, list]) {
        expect((await run(transport({ knownHostsFiles: [kh] }), sh("echo ok"))).stdout).toBe(
          "ok\n",
        );
      }
      const revoked = emptyKnownHosts();
      writeFileSync(
        revoked,
        `@revoked * ${sshd.hostKeyLine}\n[127.0.0.2]:${sshd.port} ${sshd.hostKeyLine}\n`,
      );
      const r = await run(
        transport({ knownHostsFiles: [revoked], hostKeyChecking: "off" }),
        sh("true"),
      );
      expect(r.unreachable).toMatch(/@revoked/);
    });

    it("a key listed for port 22 does not vouch for another port", async () => {
      const kh = emptyKnownHosts();
      writeFileSync(kh, `127.0.0.2 ${sshd.hostKeyLine}\n`);
      const r = await run(transport({ knownHostsFiles: [kh] }), sh("true"));
      expect(r.unreachable).toContain("unknown");
    });
  });

  describe("reachability", () => {
    it("a closed port is unreachable, for every run", async () => {
      const port = await freePort("127.0.0.4");
      const t = transport({ host: "127.0.0.4", port, connectRetries: 1 });
      const rs = await Promise.all([run(t, sh("true")), run(t, sh("true"))]);
      for (const r of rs) {
        expect(r).toMatchObject({ rc: null, aborted: false, spawnError: null });
        expect(r.unreachable).toMatch(
          /cannot connect to web1 \(127\.0\.0\.4:\d+\): .*ECONNREFUSED/,
        );
      }
    });

    it("a host that accepts but never answers is unreachable after the connect timeout", async () => {
      const silent = createServer(() => {});
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
      const addr = silent.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      try {
        const t = transport({ host: "127.0.0.1", port, connectTimeoutMs: 700, connectRetries: 1 });
        const started = Date.now();
        const r = await run(t, sh("true"));
        expect(r.unreachable).toMatch(/cannot connect to web1 \(127\.0\.0\.1:\d+\): Timed out/);
        expect(Date.now() - started).toBeLessThan(20_000);
      } finally {
        silent.close();
      }
    });

    it("a passphrase-protected key without an agent is a clear error", async () => {
      const key = join(sshd.dir, "locked");
      keygen(key, "ed25519", "secret words");
      const saved = process.env.SSH_AUTH_SOCK;
      delete process.env.SSH_AUTH_SOCK;
      try {
        const r = await run(transport({ keyFile: key }), sh("true"));
        expect(r.unreachable).toMatch(/protected by a passphrase.*ssh-add/);
      } finally {
        if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
      }
    });

    it("a connection dropped mid-run is unreachable; the next run connects again", async () => {
      const proxy = await tcpProxy(sshd.addresses[1] ?? "", sshd.port);
      try {
        const t = transport({
          host: "127.0.0.1",
          port: proxy.port,
          knownHostsFiles: [proxyKnownHosts(proxy.port)],
        });
        const pending = run(t, sh("echo started; sleep 30"));
        await sleep(1500);
        proxy.dropAll();
        const r = await pending;
        expect(r.stdout).toBe("started\n");
        expect(r.unreachable).toMatch(/web1/);
        expect(r.rc).toBeNull();
        expect((await run(t, sh("echo again"))).stdout).toBe("again\n");
      } finally {
        await proxy.close();
      }
    });

    it("works through a slow link (latency on every packet)", async () => {
      const proxy = await tcpProxy(sshd.addresses[1] ?? "", sshd.port, 30);
      try {
        const t = transport({
          host: "127.0.0.1",
          port: proxy.port,
          knownHostsFiles: [proxyKnownHosts(proxy.port)],
        });
        const rs = await Promise.all(Array.from({ length: 5 }, (_, i) => run(t, sh(`echo ${i}`))));
        expect(rs.map((r) => r.stdout)).toEqual(["0\n", "1\n", "2\n", "3\n", "4\n"]);
      } finally {
        await proxy.close();
      }
    });
  });
});

function proxyKnownHosts(port: number): string {
  const f = join(sshd.dir, `kh-proxy-${port}`);
  if (!existsSync(f)) writeFileSync(f, `[127.0.0.1]:${port} ${sshd.hostKeyLine}\n`);
  return f;
}

/** A TCP proxy on 127.0.0.1 that can delay every chunk and drop every connection. */
async function tcpProxy(host: string, port: number, delayMs = 0) {
  const sockets = new Set<Socket>();
  const pipe = (from: Socket, to: Socket) =>
    from.on("data", (d) => (delayMs > 0 ? setTimeout(() => to.write(d), delayMs) : to.write(d)));
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
    for (const s of [client, upstream]) {
      s.on("error", () => {});
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.connect(port, host);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  return {
    port: typeof addr === "object" && addr !== null ? addr.port : 0,
    dropAll() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
