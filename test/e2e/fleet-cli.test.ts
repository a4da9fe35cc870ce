/**
 * Fleet runs through the CLI against a real OpenSSH server started by the test,
 * listening on 20 loopback addresses (127.0.0.2 …): inventory, per-host planning,
 * commands, registered values, templates, file actions, handlers, become, unreachable
 * hosts, serial batches with max_fail_percentage, failed-hosts, forks.
 */
import {
  chmodSync,
  existsSync,
  readdirSync,
  mkdirSync,
  statSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { secretForms } from "../../src/secrets/forms.js";
import { CLI, cairn, events } from "../helpers/cli.js";
import { ensureUser, freePort, type Sshd, sshdSkipReason, startSshd } from "../helpers/sshd.js";

const skip = sshdSkipReason();
if (skip !== null) console.warn(`skipping the fleet tests: ${skip}`);

const HOSTS = 20;
/**
 * The account the fleet logs in as: /bin/sh and no rc files (root's .bashrc here runs
 * pyenv, seconds per session), with passwordless sudo for `become`.
 */
const USER = "cairnfleet";
const SUDOERS = "/etc/sudoers.d/cairn-fleet-test";
let sshd: Sshd;
let dir: string;
/** HOME for cairn: ~/.ssh/known_hosts lists the test server's key for every address. */
let home: string;

function inventory(hosts: { name: string; address: string; port?: number }[], extra = ""): string {
  const lines = hosts.map(
    (h) =>
      `${h.name} ansible_host=${h.address} ansible_port=${h.port ?? sshd.port} ansible_user=${USER} ansible_ssh_private_key_file=${sshd.clientKey}`,
  );
  return `[web]\n${lines.join("\n")}\n${extra}`;
}

function project(name: string, playbook: string, inv: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, "site.yml"), playbook);
  writeFileSync(join(d, "hosts.ini"), inv);
  return d;
}

function run(d: string, args: string[] = []) {
  const r = cairn(["run", "site.yml", "-i", "hosts.ini", "--json", ...args], {
    cwd: d,
    env: { HOME: home, CAIRN_STATE_DIR: join(d, ".cairn") },
    // 20 SSH handshakes on a loaded 2-core machine take a while; this bounds a hang, not a speed.
    timeoutMs: 200_000,
  });
  return r;
}

function completed(stdout: string) {
  return events(stdout).find((e) => e.type === "run.completed") as {
    outcome: string;
    hosts: Record<string, { ok: number; changed: number; failed: number; unreachable: number }>;
    failed_hosts: string[];
  };
}

const all = () =>
  Array.from({ length: HOSTS }, (_, i) => ({ name: `web${i + 1}`, address: sshd.addresses[i]! }));

describe.skipIf(skip !== null)("fleet runs over SSH", () => {
  beforeAll(async () => {
    ensureUser(USER);
    writeFileSync(SUDOERS, `${USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    sshd = await startSshd({ addresses: HOSTS });
    dir = mkdtempSync(join(tmpdir(), "cairn-fleet-"));
    // The fleet's user writes under it.
    chmodSync(dir, 0o755);
    home = join(dir, "home");
    mkdirSync(join(home, ".ssh"), { recursive: true });
    writeFileSync(join(home, ".ssh", "known_hosts"), readFileSync(sshd.knownHostsFile));
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    rmSync(SUDOERS, { force: true });
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("runs commands, registers, templates, file actions and handlers on 20 hosts", () => {
    const out = join(dir, "out");
    mkdirSync(out, { recursive: true, mode: 0o777 });
    chmodSync(out, 0o777);
    const d = project(
      "twenty",
      `hosts: web
vars:
  out: ${out}
steps:
  - name: who
    shell: echo "$(id -un) on {{ inventory_hostname }}"
    register: who
  - name: write
    template:
      src: host.j2
      dest: "{{ out }}/{{ inventory_hostname }}.txt"
    notify: done
  - name: perms
    file:
      path: "{{ out }}/{{ inventory_hostname }}.txt"
      mode: "0640"
  - name: say
    print: "{{ who.stdout }}"
  - name: as root
    shell: id -u > {{ out }}/{{ inventory_hostname }}.root
    become: true
handlers:
  - name: done
    shell: touch {{ out }}/{{ inventory_hostname }}.handled
`,
      inventory(all()),
    );
    writeFileSync(
      join(d, "host.j2"),
      "host={{ inventory_hostname }} groups={{ group_names | join(',') }} said={{ who.stdout }}\n",
    );
    const r = run(d);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const end = completed(r.stdout);
    expect(Object.keys(end.hosts)).toHaveLength(HOSTS);
    for (const h of Object.values(end.hosts))
      expect(h).toMatchObject({ failed: 0, unreachable: 0 });
    expect(readFileSync(join(out, "web7.txt"), "utf8")).toBe(
      `host=web7 groups=web said=${USER} on web7\n`,
    );
    expect(readFileSync(join(out, "web7.root"), "utf8")).toBe("0\n");
    expect(statSync(join(out, "web7.root")).uid).toBe(0);
    expect(existsSync(join(out, "web20.handled"))).toBe(true);
    const prints = events(r.stdout).filter(
      (e) => e.type === "step.completed" && e.step_id === "web3/say",
    );
    expect(prints).toHaveLength(1);
    expect(prints[0]!.target).toBe("web3");
    // Idempotent: the second run changes no file.
    const again = completed(run(d).stdout);
    expect(again.outcome).toBe("success");
  }, 240_000);

  it("a dead host is unreachable while the others finish; failed-hosts feeds --limit @file", async () => {
    const dead = await freePort("127.0.0.1");
    const d = project(
      "dead",
      `hosts: web\nsteps:\n  - name: one\n    shell: "true"\n  - name: two\n    shell: "true"\n`,
      inventory([
        { name: "ok1", address: sshd.addresses[0]! },
        { name: "gone", address: "127.0.0.1", port: dead },
        { name: "ok2", address: sshd.addresses[1]! },
      ]),
    );
    const r = run(d);
    expect(r.code).toBe(1);
    const end = completed(r.stdout);
    expect(end.hosts.gone).toMatchObject({ unreachable: 1 });
    expect(end.hosts.ok1).toMatchObject({ ok: 0, changed: 2, failed: 0 });
    expect(end.failed_hosts).toEqual(["gone"]);
    const two = events(r.stdout).find((e) => e.step_id === "gone/two");
    expect(two).toMatchObject({ status: "blocked" });
    const runId = events(r.stdout)[0]!.run_id as string;
    const file = join(d, ".cairn", "runs", runId, "failed-hosts");
    expect(readFileSync(file, "utf8")).toBe("gone\n");
    const retry = cairn(
      ["plan", "site.yml", "-i", "hosts.ini", "--limit", `@${file}`, "--format", "json"],
      { cwd: d, env: { HOME: home } },
    );
    // Planning needs no facts here, so the dead host plans; the run would find it down again.
    expect(retry.code).toBe(0);
    const plan = JSON.parse(retry.stdout) as { fleet: { targets: string[] } };
    expect(plan.fleet.targets).toEqual(["gone"]);
  }, 120_000);

  it("serial batches with max_fail_percentage: 100 never aborts, even when a batch fails whole", () => {
    const hosts = all().slice(0, 4);
    const steps = `steps:\n  - name: maybe fail\n    shell: test {{ inventory_hostname }} != web1 && test {{ inventory_hostname }} != web2\n`;
    const never = project(
      "serial100",
      `hosts: web\nserial: 2\nmax_fail_percentage: 100\n${steps}`,
      inventory(hosts),
    );
    const r = run(never);
    const end = completed(r.stdout);
    expect(end.failed_hosts).toEqual(["web1", "web2"]);
    expect(end.hosts.web3).toMatchObject({ changed: 1 });
    expect(end.hosts.web4).toMatchObject({ changed: 1 });

    const unset = project("serialdefault", `hosts: web\nserial: 2\n${steps}`, inventory(hosts));
    const r2 = run(unset);
    const end2 = completed(r2.stdout);
    expect(end2.hosts.web3).toMatchObject({ changed: 0, failed: 0 });
    const web3 = events(r2.stdout).find((e) => e.step_id === "web3/maybe-fail");
    expect(web3).toMatchObject({ status: "cancelled" });
    expect(String(web3!.reason)).toMatch(/every host of batch 1 failed/);
  }, 120_000);

  it("--forks bounds the hosts at work; run_once runs once and every host sees its result", () => {
    const d = project(
      "once",
      `hosts: web\nsteps:\n  - name: stamp\n    shell: date +%N\n    register: stamp\n    run_once: true\n  - name: echo\n    shell: echo {{ stamp.stdout }}\n    register: seen\n`,
      inventory(all().slice(0, 5)),
    );
    const r = run(d, ["--forks", "2"]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const outs = evs
      .filter((e) => e.type === "step.completed" && String(e.step_id).endsWith("/echo"))
      .map((e) => (e.result as { stdout: string }).stdout);
    expect(outs).toHaveLength(5);
    expect(new Set(outs).size).toBe(1);
    // Never more than two hosts with a step running.
    const running = new Set<string>();
    let most = 0;
    for (const e of evs) {
      if (e.type === "step.started") running.add(String(e.target));
      if (e.type === "step.completed" || e.type === "step.failed") running.delete(String(e.target));
      most = Math.max(most, running.size);
    }
    expect(most).toBeLessThanOrEqual(2);
  }, 120_000);

  it("kill -9 during a fleet run, then resume: finished steps are not run again", async () => {
    const marks = join(dir, "marks");
    mkdirSync(marks, { recursive: true, mode: 0o777 });
    chmodSync(marks, 0o777);
    const d = project(
      "resume",
      `hosts: web
steps:
  - name: first
    shell: echo x >> ${marks}/{{ inventory_hostname }}.first
  - name: slow
    shell: test -e ${marks}/go || sleep 60
  - name: last
    shell: echo x >> ${marks}/{{ inventory_hostname }}.last
`,
      inventory(all().slice(0, 3)),
    );
    const env = { ...process.env, HOME: home, CAIRN_STATE_DIR: join(d, ".cairn"), NO_COLOR: "1" };
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "-i", "hosts.ini", "--json"], {
      cwd: d,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    // Wait until every host finished `first` and started `slow`, then kill -9.
    const until = Date.now() + 120_000;
    while ((out.match(/"type":"step.started"[^\n]*"name":"slow"/g) ?? []).length < 3) {
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`the fleet run did not get going:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
    writeFileSync(join(marks, "go"), "");
    const r = cairn(["resume", "--last", "--json"], {
      cwd: d,
      env: { HOME: home, CAIRN_STATE_DIR: join(d, ".cairn") },
      timeoutMs: 200_000,
    });
    expect(r.code).toBe(0);
    const end = completed(r.stdout);
    expect(end.outcome).toBe("success");
    for (const h of ["web1", "web2", "web3"]) {
      expect(readFileSync(join(marks, `${h}.first`), "utf8")).toBe("x\n");
      expect(readFileSync(join(marks, `${h}.last`), "utf8")).toBe("x\n");
    }
    const restored = events(r.stdout)
      .filter((e) => e.restored === true)
      .map((e) => e.step_id);
    expect(restored.sort()).toEqual(["web1/first", "web2/first", "web3/first"]);
  }, 300_000);

  it("a timeout kills the step's whole process group on the remote host", () => {
    const marker = 1000 + Math.floor(Math.random() * 8000);
    const d = project(
      "timeout",
      `hosts: web\nsteps:\n  - name: hang\n    shell: sleep ${marker} & sleep ${marker}\n    timeout: 2s\n`,
      inventory(all().slice(0, 2)),
    );
    const r = run(d);
    expect(r.code).toBe(1);
    const failed = events(r.stdout).filter((e) => e.type === "step.failed");
    expect(failed.map((e) => e.error)).toEqual([
      expect.stringMatching(/timed out/),
      expect.stringMatching(/timed out/),
    ]);
    // The remote host is this machine: nothing of the step is left in its process table.
    const left = spawnSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" });
    expect(left.stdout.trim()).toBe("");
  }, 120_000);

  it("a secret used on a fleet with become appears in no output, plan or state file", () => {
    const secret = `Fl33t&${randomBytes(6).toString("hex")}/x+Q"`;
    const out = join(dir, "secret-out");
    mkdirSync(out, { recursive: true, mode: 0o777 });
    chmodSync(out, 0o777);
    const d = project(
      "secret",
      `hosts: web
secrets:
  token: {env: FLEET_TOKEN}
steps:
  - name: use it as root
    shell: echo "token=$T"; printf '%s' "$T" | base64; id -u
    env: {T: "{{ token }}"}
    become: true
    register: used
  - name: print it
    print: "{{ used.stdout }}"
  - name: write it
    copy:
      content: "{{ token }}"
      dest: ${out}/{{ inventory_hostname }}.token
  - name: fail with it
    assert: {that: "token == 'no'", msg: "wrong {{ token }}"}
`,
      inventory(all().slice(0, 2)),
    );
    const state = join(d, ".cairn");
    const env = { HOME: home, CAIRN_STATE_DIR: state, FLEET_TOKEN: secret };
    const runs = [
      cairn(["plan", "site.yml", "-i", "hosts.ini", "-o", "plan.json"], { cwd: d, env }),
      cairn(["run", "site.yml", "-i", "hosts.ini", "--json"], { cwd: d, env, timeoutMs: 200_000 }),
      cairn(["run", "site.yml", "-i", "hosts.ini"], { cwd: d, env, timeoutMs: 200_000 }),
    ];
    // It did reach the hosts: the file holds it, written through the SSH transport.
    expect(readFileSync(join(out, "web2.token"), "utf8")).toBe(secret);
    expect(runs[1]!.stdout).toContain("token=«secret:token»");
    const texts = runs.flatMap((r) => [r.stdout, r.stderr]);
    texts.push(readFileSync(join(d, "plan.json"), "utf8"));
    const files = (p: string): string[] =>
      readdirSync(p).flatMap((n) =>
        statSync(join(p, n)).isDirectory() ? files(join(p, n)) : [join(p, n)],
      );
    for (const f of files(state)) texts.push(readFileSync(f, "utf8"));
    const leaks = secretForms(secret).filter((form) => texts.some((t) => t.includes(form)));
    expect(leaks).toEqual([]);
  }, 300_000);
});
