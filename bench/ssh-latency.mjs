// Per-step latency of the SSH transport on a warm connection, against a bare ssh2
// `exec("true")` on its own warm connection to the same sshd: what cairn's header,
// process-group report and output handling cost on top of one SSH session.
//
// Plain node over dist/ (run `npm run build` first). Needs root and /usr/sbin/sshd (it
// starts its own sshd on 127.0.0.2, as the tests do) and logs in as the account
// `cairnbench` (created when missing, /bin/sh), so that no rc file of root's weighs in.
// Usage: node bench/ssh-latency.mjs [steps=200]
// bench/fleet.mjs imports `sshLatency` and measures on its own sshd.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import ssh2 from "ssh2";
import { sshTransport } from "../dist/transports/ssh.js";
import { ensureUser, sshdSkipReason, startSshd } from "../test/helpers/sshd-server.mjs";

export const USER = "cairnbench";

/**
 * Medians, p90s and means (ms) of `steps` sequential steps through cairn's transport and
 * through a bare ssh2 exec, each on a warm connection to `sshd` (a startSshd result) at `host`.
 */
export async function sshLatency(sshd, host, steps, user = USER) {
  const c = summary(await cairnLatencies(sshd, host, steps, user));
  const b = summary(await bareLatencies(sshd, host, steps, user));
  return { cairn: c, bare: b };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const steps = Number(process.argv[2] ?? 200);
  const skip = sshdSkipReason();
  if (skip !== null) {
    console.log(`ssh-latency: skipped (${skip})`);
    process.exit(0);
  }
  ensureUser(USER);
  const sshd = await startSshd({ addresses: 1 });
  try {
    const { cairn: c, bare: b } = await sshLatency(sshd, sshd.addresses[0], steps);
    console.log(`ssh step latency on a warm connection, ${steps} sequential steps (ms)`);
    console.log("| | median | p90 | mean |");
    console.log("|---|---:|---:|---:|");
    console.log(`| cairn sshTransport.run(sh -c true) | ${c.median} | ${c.p90} | ${c.mean} |`);
    console.log(`| bare ssh2 exec("true") | ${b.median} | ${b.p90} | ${b.mean} |`);
    console.log(`| ratio (median) | ${(c.median / b.median).toFixed(2)}x | | |`);
  } finally {
    await sshd.stop();
  }
}

async function cairnLatencies(sshd, address, steps, user) {
  const t = sshTransport({
    name: "bench",
    host: address,
    port: sshd.port,
    user,
    keyFile: sshd.clientKey,
    hostKeyChecking: "strict",
    knownHostsFiles: [sshd.knownHostsFile],
    connectTimeoutMs: 10_000,
    connectRetries: 0,
    keepaliveMs: 15_000,
  });
  const spec = {
    command: { shell: "true", interpreter: "sh" },
    env: { CAIRN_STEP_ID: "bench" },
    cwd: null,
    stdin: null,
    become: false,
    becomeUser: null,
    signal: new AbortController().signal,
    onOutput: () => undefined,
  };
  const first = await t.run(spec); // connects: not measured
  if (first.rc !== 0) throw new Error(`warm-up failed: ${JSON.stringify(first)}`);
  const ms = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const r = await t.run(spec);
    ms.push(performance.now() - t0);
    if (r.rc !== 0) throw new Error(`step failed: ${JSON.stringify(r)}`);
  }
  await t.close();
  return ms;
}

async function bareLatencies(sshd, address, steps, user) {
  const client = new ssh2.Client();
  await new Promise((resolve, reject) => {
    client.once("ready", resolve).once("error", reject);
    client.connect({
      host: address,
      port: sshd.port,
      username: user,
      privateKey: readFileSync(sshd.clientKey),
      hostVerifier: () => true, // the same server cairn just verified
    });
  });
  const exec = () =>
    new Promise((resolve, reject) => {
      client.exec("true", (err, ch) => {
        if (err) return reject(err);
        ch.on("close", resolve).resume();
        ch.stderr.resume();
      });
    });
  await exec();
  const ms = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await exec();
    ms.push(performance.now() - t0);
  }
  client.end();
  return ms;
}

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const round = (x) => Math.round(x * 100) / 100;
  return {
    median: round(at(0.5)),
    p90: round(at(0.9)),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}
