// Fleet benchmark: cairn and ansible-playbook side by side on one fleet of 20 hosts (a
// real sshd on 127.0.0.2 … 127.0.0.21, test/helpers/sshd-server.mjs), one INI inventory
// read by both, 50 trivial steps (`true`) per host; then per-step latency on a warm
// connection vs a bare ssh2 exec (bench/ssh-latency.mjs) on the same sshd.
//
// Plain node over dist/ (`npm run build` first); needs root, /usr/sbin/sshd and
// ansible-playbook (bench/run.mjs installs ansible-core). `fleetBench()` is section 7 of
// `npm run bench`; alone: node bench/fleet.mjs [reps=1] prints the section's rows
// (FLEET_HOSTS / FLEET_STEPS for a smaller fleet).
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensureUser, sshdSkipReason, startSshd } from "../test/helpers/sshd-server.mjs";
import { fmtMs, fmtX, median, table, timeRun } from "./lib.mjs";
import { sshLatency, USER } from "./ssh-latency.mjs";

const CLI = join(dirname(dirname(fileURLToPath(import.meta.url))), "dist/cli/main.js");
// Ansible runs 1,000 host×step executions in minutes, not seconds: bound a hang only.
const RUN_TIMEOUT = 60 * 60_000;

/**
 * Measures the fleet rows. `reps` rounds, each running the four variants in turn
 * (cairn without and with the journal, Ansible by default and with pipelining), so a drift
 * in the machine's load touches all of them. Returns {rows, notes}, or {skipped} with why.
 */
export async function fleetBench({
  reps = 1,
  hosts = 20,
  steps = 50,
  latencySteps = 200,
  log = () => {},
} = {}) {
  const skip = sshdSkipReason();
  if (skip !== null) return { skipped: skip };
  if (spawnSync("sh", ["-c", "command -v ansible-playbook"]).status !== 0)
    return { skipped: "ansible-playbook is not installed" };
  ensureUser(USER);
  const sshd = await startSshd({ addresses: hosts, sftp: true });
  const dir = mkdtempSync(join(os.tmpdir(), "cairn-fleetbench-"));
  chmodSync(dir, 0o755);
  const home = join(dir, "home");
  const cpDir = join(home, ".ansible", "cp");
  try {
    writeFleet(dir, sshd, hosts, steps);
    const knownHosts = join(home, ".ssh", "known_hosts");
    mkdirSync(dirname(knownHosts), { recursive: true });
    writeFileSync(knownHosts, readFileSync(sshd.knownHostsFile));
    const env = { HOME: home, LC_ALL: "C.UTF-8" };
    const cairn = (extra) => ({
      label: extra.length ? "cairn --no-journal" : "cairn (journal)",
      run: () =>
        timeRun(
          process.execPath,
          [
            CLI,
            "run",
            "site.yml",
            "-i",
            "hosts.ini",
            "--forks",
            String(hosts),
            "--jobs",
            String(hosts),
            ...extra,
          ],
          {
            cwd: dir,
            env: { ...env, CI: "1", CAIRN_STATE_DIR: join(dir, ".cairn") },
            captureStdout: true,
            timeoutMs: RUN_TIMEOUT,
          },
        ),
      check: (out) => checkCairn(out, hosts, steps),
    });
    const ansible = (pipelining) => ({
      label: pipelining ? "ansible-playbook, pipelining" : "ansible-playbook (defaults)",
      run: async () => {
        try {
          return await timeRun(
            "ansible-playbook",
            ["-i", "hosts.ini", "-f", String(hosts), "ansible.yml"],
            {
              cwd: dir,
              env: {
                ...env,
                ANSIBLE_NOCOLOR: "1",
                ANSIBLE_PYTHON_INTERPRETER: "auto_silent",
                // Appended to Ansible's default ssh_args (ControlMaster=auto, ControlPersist=60s).
                ANSIBLE_SSH_EXTRA_ARGS: `-o UserKnownHostsFile=${knownHosts}`,
                ...(pipelining ? { ANSIBLE_PIPELINING: "1" } : {}),
              },
              captureStdout: true,
              timeoutMs: RUN_TIMEOUT,
            },
          );
        } finally {
          // Every run starts with no connection, as cairn's does.
          closeMasters(cpDir);
        }
      },
      check: (out) => checkAnsible(out, hosts, steps),
    });
    const variants = [cairn(["--no-journal"]), cairn([]), ansible(false), ansible(true)];
    const times = variants.map(() => []);
    for (let r = 0; r < reps; r++) {
      for (const [i, v] of variants.entries()) {
        log(`# fleet round ${r + 1}/${reps}: ${v.label}`);
        const res = await v.run();
        v.check(res.stdout);
        times[i].push(res.ms);
      }
    }
    const [bare, journaled, ans, piped] = times.map(median);
    log("# fleet: per-step latency");
    const lat = await sshLatency(sshd, sshd.addresses[0], latencySteps);
    const size = `${hosts} hosts × ${steps} steps`;
    const rows = [
      [
        `${size}: wall time, Ansible (defaults, ControlPersist) ÷ cairn`,
        fmtMs(bare),
        `Ansible: ${fmtMs(ans)}`,
        fmtX(ans / bare),
        "> 1× (cairn faster)",
        faster(ans, bare),
      ],
      [
        `${size}: wall time, Ansible with pipelining ÷ cairn`,
        fmtMs(bare),
        `Ansible: ${fmtMs(piped)}`,
        fmtX(piped / bare),
        "> 1× (cairn faster)",
        faster(piped, bare),
      ],
      [
        `${size}: cairn journaled vs \`--no-journal\``,
        fmtMs(journaled),
        `no journal: ${fmtMs(bare)}`,
        fmtX(journaled / bare),
        "—",
        "—",
      ],
      [
        `per step on a warm connection (median of ${latencySteps}): cairn's SSH transport vs a bare ssh2 exec`,
        fmtMs(lat.cairn.median),
        `ssh2 exec: ${fmtMs(lat.bare.median)}`,
        fmtX(lat.cairn.median / lat.bare.median),
        "—",
        "—",
      ],
      [
        `per step on a warm connection, p90`,
        fmtMs(lat.cairn.p90),
        `ssh2 exec: ${fmtMs(lat.bare.p90)}`,
        fmtX(lat.cairn.p90 / lat.bare.p90),
        "—",
        "—",
      ],
      [
        `${size}: per host×step, cairn --no-journal`,
        fmtMs(bare / (hosts * steps)),
        "—",
        "—",
        "—",
        "—",
      ],
    ];
    const notes = [
      `One sshd (test/helpers/sshd-server.mjs, with the SFTP subsystem Ansible copies its modules over) listening on ${hosts} loopback addresses; ` +
        `both tools log in as \`${USER}\` (/bin/sh, no rc files) with the same key, read the same INI inventory (\`ansible_host\`, \`ansible_port\`, \`ansible_user\`, \`ansible_ssh_private_key_file\`) ` +
        `and check host keys against the same known_hosts file (cairn as \`$HOME/.ssh/known_hosts\`; Ansible keeps host_key_checking on and gets \`-o UserKnownHostsFile=\` through ANSIBLE_SSH_EXTRA_ARGS, appended to its default ssh_args).`,
      `cairn: \`cairn run site.yml -i hosts.ini --forks ${hosts} --jobs ${hosts}\` (\`--jobs\` also bounds the steps at once, default 10), plain reporter (CI=1), with and without \`--no-journal\`; ` +
        `a play \`hosts: all\` of ${steps} × \`shell: "true"\`. Ansible: \`ansible-playbook -i hosts.ini -f ${hosts}\`, \`gather_facts: false\`, ${steps} × \`ansible.builtin.command: "true"\`, ` +
        "default ssh_args (ControlMaster=auto, ControlPersist=60s), Python interpreter discovery as by default (auto_silent only silences its warning), then again with ANSIBLE_PIPELINING=1. " +
        "Each run starts cold: Ansible's ControlPersist masters are closed (`ssh -O exit`) after each of its runs, and cairn opens its connections anew in each process.",
      `Each run's output is checked: cairn's summary must be a success with ${hosts * steps} changed or ok steps over ${hosts} hosts, Ansible's PLAY RECAP ok=${steps} and no failure on each of the ${hosts} hosts. ` +
        `${reps} round${reps === 1 ? "" : "s"} of the four runs in turn (cairn, cairn journaled, Ansible, Ansible pipelined); figures are medians. ` +
        `Latency rows: bench/ssh-latency.mjs on the same sshd, ${latencySteps} sequential \`sh -c true\` steps through cairn's SSH transport vs \`exec("true")\` on a bare ssh2 client, both connected beforehand.`,
    ];
    return { rows, notes };
  } finally {
    closeMasters(cpDir);
    await sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shared inventory, cairn's playbook and Ansible's, in `dir`. */
function writeFleet(dir, sshd, hosts, steps) {
  const lines = sshd.addresses.map(
    (a, i) =>
      `host${i + 1} ansible_host=${a} ansible_port=${sshd.port} ansible_user=${USER} ansible_ssh_private_key_file=${sshd.clientKey}`,
  );
  writeFileSync(join(dir, "hosts.ini"), `[fleet]\n${lines.slice(0, hosts).join("\n")}\n`);
  let c = "hosts: all\nsteps:\n";
  let a = "- hosts: all\n  gather_facts: false\n  tasks:\n";
  for (let i = 0; i < steps; i++) {
    c += `  - name: s${i}\n    shell: "true"\n`;
    a += `    - name: s${i}\n      ansible.builtin.command: "true"\n`;
  }
  writeFileSync(join(dir, "site.yml"), c);
  writeFileSync(join(dir, "ansible.yml"), a);
}

/** Throws unless cairn's plain summary says every host ran every step. */
function checkCairn(out, hosts, steps) {
  const m = /^success: ok=(\d+) changed=(\d+) skipped=0 failed=0/m.exec(out);
  const rows = out.match(/^\s+host\d+\s+\d+\s+\d+\s+0\s+0\s+0\s*$/gm) ?? [];
  if (!m || Number(m[1]) + Number(m[2]) !== hosts * steps || rows.length !== hosts)
    throw new Error(`cairn did not run ${hosts}×${steps} steps: ${out.slice(-400)}`);
}

/** Throws unless Ansible's PLAY RECAP shows every task ok on every host. */
function checkAnsible(out, hosts, steps) {
  const recap = [
    ...out.matchAll(/^host\d+\s+: ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)/gm),
  ];
  const good = recap.filter((r) => Number(r[1]) === steps && r[2] === "0" && r[3] === "0");
  if (recap.length !== hosts || good.length !== hosts)
    throw new Error(`ansible-playbook did not run ${hosts}×${steps} tasks: ${out.slice(-400)}`);
}

/** Closes Ansible's ControlPersist masters (one socket each in its control path dir). */
function closeMasters(cpDir) {
  if (!existsSync(cpDir)) return;
  for (const sock of readdirSync(cpDir))
    spawnSync("ssh", ["-O", "exit", "-o", `ControlPath=${join(cpDir, sock)}`, "fleet"], {
      stdio: "ignore",
    });
}

const faster = (theirs, ours) =>
  theirs > ours ? `yes — cairn ${(theirs / ours).toFixed(0)}× faster` : "**no**";

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // FLEET_HOSTS / FLEET_STEPS shrink the fleet for a smoke run.
  const r = await fleetBench({
    reps: Number(process.argv[2] ?? 1),
    hosts: Number(process.env.FLEET_HOSTS ?? 20),
    steps: Number(process.env.FLEET_STEPS ?? 50),
    log: (s) => process.stderr.write(`${s}\n`),
  });
  if (r.skipped) console.log(`fleet: skipped (${r.skipped})`);
  else console.log(`${table(r.rows)}\n\n${r.notes.join("\n\n")}`);
}
