/**
 * A real OpenSSH server for tests and benchmarks (plain JS, so bench/ can use it too;
 * types in sshd-server.d.mts): `sshd -D` as root on a free port, listening on several
 * loopback addresses (127.0.0.2, .3, ...: every 127/8 address answers on Linux) so
 * that one server acts as a fleet, with a generated host key, a generated client key
 * authorized for every user, and a known_hosts file that lists the host key for each
 * address. Callers check `sshdSkipReason()` first (`.ci/run` installs openssh-server).
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";

/** Why sshd cannot be started here (not root, not installed), or null when it can. */
export function sshdSkipReason() {
  if (process.getuid?.() !== 0) return "sshd tests need root (sshd runs as root to log users in)";
  if (!existsSync(SSHD)) return `${SSHD} is missing: install openssh-server (.ci/run does)`;
  return null;
}

/** Generates a key pair at `file` (and `file.pub`); returns the public key as `type base64`. */
export function keygen(file, type = "ed25519", passphrase = "") {
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "cairn-test", "-f", file]);
  return readFileSync(`${file}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
}

/** Starts sshd as described at the top of this file; see sshd-server.d.mts for the result. */
export async function startSshd(opts) {
  const dir = mkdtempSync(join(tmpdir(), "cairn-sshd-"));
  // sshd reads authorized_keys as the user logging in; the keys themselves stay 0600.
  chmodSync(dir, 0o755);
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKeyLine = keygen(join(dir, "host_ed25519"));
  const clientKey = join(dir, "client_ed25519");
  writeFileSync(join(dir, "authorized_keys"), `${keygen(clientKey)}\n`, { mode: 0o644 });
  const addresses = Array.from({ length: opts.addresses }, (_, i) => `127.0.0.${i + 2}`);
  const port = opts.port ?? (await freePort(addresses[0] ?? "127.0.0.2"));
  // One sshd listens on at most 16 addresses (its MAX_LISTEN_SOCKS): a larger fleet
  // gets one server per 16 addresses, all with the same keys and port.
  const groups = [];
  for (let i = 0; i < addresses.length; i += 16) groups.push(addresses.slice(i, i + 16));
  const knownHostsFile = join(dir, "known_hosts");
  writeFileSync(knownHostsFile, addresses.map((a) => `[${a}]:${port} ${hostKeyLine}\n`).join(""));
  const log = [];
  const servers = groups.map((group, k) => {
    const config = [
      `Port ${port}`,
      ...group.map((a) => `ListenAddress ${a}:${port}`),
      `HostKey ${join(dir, "host_ed25519")}`,
      `PidFile ${join(dir, `sshd${k}.pid`)}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "UsePAM no",
      "StrictModes no",
      "MaxSessions 10",
      // A fleet connects all at once; the default 10:30:100 drops connections beyond 10.
      "MaxStartups 200",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitUserEnvironment no",
      "UseDNS no",
      "LogLevel ERROR",
      // Only when asked (benchmarks): Ansible copies its modules over SFTP and, without
      // it, tries SFTP then scp on every task before falling back to piping.
      ...(opts.sftp ? ["Subsystem sftp internal-sftp"] : []),
    ];
    const file = join(dir, `sshd_config${k}`);
    writeFileSync(file, `${config.join("\n")}\n`);
    const child = spawn(SSHD, ["-D", "-e", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d) => log.push(d.toString()));
    const server = { child, exited: false, group };
    child.on("exit", () => {
      server.exited = true;
    });
    return server;
  });
  const stop = async () => {
    for (const server of servers) {
      if (server.exited) continue;
      const gone = new Promise((r) => server.child.once("exit", r));
      server.child.kill("SIGTERM");
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (const server of servers) {
    for (const a of server.group) {
      const ok = await waitForBanner(a, port, 10_000, () => server.exited);
      if (!ok) {
        await stop();
        throw new Error(`sshd did not start on ${a}:${port}: ${log.join("")}`);
      }
    }
  }
  return { addresses, port, clientKey, hostKeyLine, knownHostsFile, dir, stop };
}

/** A port free on `host` now (the kernel's choice for port 0). */
export function freePort(host) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForBanner(host, port, timeoutMs, dead) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !dead()) {
    const ok = await new Promise((resolve) => {
      const s = new Socket();
      const done = (v) => {
        s.destroy();
        resolve(v);
      };
      s.setTimeout(1000, () => done(false));
      s.once("data", (d) => done(d.toString().startsWith("SSH-")));
      s.once("error", () => done(false));
      s.connect(port, host);
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * A login account with /bin/sh and no password (sshd refuses a locked one), created
 * when missing: steps then run without root's rc files, which may be slow.
 */
export function ensureUser(name) {
  try {
    execFileSync("id", [name], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["-m", "-s", "/bin/sh", name]);
  }
  execFileSync("usermod", ["-p", "*", name]);
}
