/** `cairn run` through the built CLI: compat playbooks, registered values, failures, timeouts, dry run, signals. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, cairn, events, outputLines } from "../helpers/cli.js";
import { alive } from "../helpers/alive.js";
import { project } from "../helpers/project.js";
import { waitFor } from "../helpers/wait.js";

const COMPAT_TMP = ["/tmp/myapp", "/tmp/users", "/tmp/mooncake-templates", "/tmp/MyProject"];
afterAll(() => {
  for (const p of COMPAT_TMP) rmSync(p, { recursive: true, force: true });
});

type Ev = Record<string, unknown>;
const completed = (evs: Ev[]) =>
  evs.filter(
    (e) =>
      e.type === "step.completed" ||
      e.type === "step.failed" ||
      e.type === "step.skipped" ||
      e.type === "step.compensated",
  );
/** Status of a step event; a step.compensated event stands for status "compensated". */
const status = (e: Ev) => (e.type === "step.compensated" ? "compensated" : e.status);
/** The last status reported for a step (a compensated step is reported twice). */
const statusOf = (evs: Ev[], id: string) => {
  const last = completed(evs).findLast((e) => e.step_id === id);
  return last === undefined ? undefined : status(last);
};
const runCompleted = (evs: Ev[]) =>
  evs.find((e) => e.type === "run.completed") as { stats: Record<string, number>; outcome: string };

describe("compat playbooks run as their authors intended", () => {
  it("hello-world prints and runs on linux", () => {
    const r = cairn(["run", "compat/hello-world/config.yml"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hello from Mooncake!");
    expect(r.stdout).toMatch(/Running on linux\/(amd64|arm64)/);
  });

  it("conditionals skip the darwin step and run the linux one", () => {
    const evs = events(cairn(["run", "compat/conditionals/config.yml", "--json"]).stdout);
    expect(statusOf(evs, "macos-only")).toBe("skipped");
    expect(statusOf(evs, "linux-only")).toBe("changed");
    expect(runCompleted(evs).outcome).toBe("success");
  });

  it("execution-control runs every example, including failed_when and changed_when", () => {
    const r = cairn(["run", "compat/execution-control/config.yml", "--json"]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(statusOf(evs, "example-8-acceptable-exit-codes")).toBe("changed");
    expect(statusOf(evs, "example-5-custom-change-detection")).toBe("ok");
    expect(statusOf(evs, "example-6-git-style-change-detection")).toBe("ok");
    const envOut = outputLines(evs, "example-3-environment-variables");
    expect(envOut).toContain("Custom CC: gcc-11");
    expect(envOut.some((l) => typeof l === "string" && /^Template var: linux-/.test(l))).toBe(true);
    expect(runCompleted(evs).stats.failed).toBe(0);
  });

  it("files-and-directories creates the files with their modes and runs the script", () => {
    rmSync("/tmp/myapp", { recursive: true, force: true });
    const r = cairn(["run", "compat/files-and-directories/config.yml"]);
    expect(r.code).toBe(0);
    expect(readFileSync("/tmp/myapp/README.txt", "utf8")).toContain("Welcome to MyApplication!");
    expect(r.stdout).toContain("Running MyApplication");
    const again = events(
      cairn(["run", "compat/files-and-directories/config.yml", "--json"]).stdout,
    );
    expect(statusOf(again, "create-a-simple-file-with-content")).toBe("ok");
  });

  it("loops create a directory and a config per user", () => {
    rmSync("/tmp/users", { recursive: true, force: true });
    expect(cairn(["run", "compat/loops/with-items.yml"]).code).toBe(0);
    expect(readFileSync("/tmp/users/bob/config.txt", "utf8")).toBe("Configuration for bob");
  });

  it("multi-file-configs runs the linux and common tasks, and dev tools with --tags dev", () => {
    const all = events(cairn(["run", "compat/multi-file-configs/main.yml", "--json"]).stdout);
    expect(runCompleted(all).outcome).toBe("success");
    const out = outputLines(all);
    expect(out).toContain("Project: MyProject");
    expect(out).toContain("Port: 3000");
    expect(out).toContain("apt update");
    const dev = events(
      cairn(["run", "compat/multi-file-configs/main.yml", "--json", "--tags", "dev"]).stdout,
    );
    const devOut = outputLines(dev);
    expect(devOut).toContain("Installing neovim, ripgrep, fd");
    expect(devOut).not.toContain("apt update");
  });

  it("templates renders the files", () => {
    rmSync("/tmp/mooncake-templates", { recursive: true, force: true });
    const r = cairn(["run", "compat/templates/config.yml"]);
    expect(r.code).toBe(0);
    const cfg = readFileSync("/tmp/mooncake-templates/config.yml", "utf8");
    expect(cfg).toContain("name: MyApp");
    // The rendered config is the YAML its author meant (indented {% if %} lines vanish).
    expect(parse(cfg)).toMatchObject({
      server: { port: 8080, debug: true, log_level: "debug" },
      features: ["authentication", "api", "websockets"],
    });
    expect(cfg).toContain("- websockets");
    expect(readFileSync("/tmp/mooncake-templates/config-prod.yml", "utf8")).toContain(
      "environment: production",
    );
    expect(readFileSync("/tmp/mooncake-templates/nginx.conf", "utf8")).not.toContain(
      "ssl_certificate",
    );
  });

  it("tags runs only the selected steps", () => {
    const evs = events(cairn(["run", "compat/tags/config.yml", "--json", "--tags", "prod"]).stdout);
    expect(statusOf(evs, "production-deployment")).toBe("changed");
    expect(statusOf(evs, "development-setup")).toBe("skipped");
  });
});

describe("cairn run semantics", () => {
  it("renders a registered result into a later command, and when on a registered value", () => {
    const dir = project({
      "site.yml": `- name: produce\n  shell: echo hello-there\n  register: r\n- name: consume\n  shell: echo "got {{ r.stdout }}"\n  when: r.rc == 0\n- name: never\n  shell: echo no\n  when: "'nope' in r.stdout"\n`,
    });
    const evs = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(outputLines(evs, "consume")).toEqual(["got hello-there"]);
    expect(statusOf(evs, "never")).toBe("skipped");
  });

  it("--output-limit caps what results keep; a bad size is a usage error", () => {
    const dir = project({
      "site.yml":
        '- name: count\n  shell: seq 1 1000\n  register: r\n- name: show\n  print: "{{ r.stdout_bytes }} {{ r.stdout_lines | length }}"\n',
    });
    const r = cairn(["run", "site.yml", "--json", "--output-limit", "1KiB"], { cwd: dir });
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const count = evs.find((e) => e.type === "step.completed" && e.step_id === "count");
    expect(count?.result).toMatchObject({ truncated: true, stdout_bytes: 3893 });
    const file = String((count?.result as { stdout_file?: string } | undefined)?.stdout_file);
    expect(readFileSync(file, "utf8")).toBe(
      `${Array.from({ length: 1000 }, (_, i) => i + 1).join("\n")}\n`,
    );
    rmSync(dirname(file), { recursive: true, force: true });
    const show = evs.find((e) => e.type === "step.completed" && e.step_id === "show");
    expect((show?.result as { msg?: string } | undefined)?.msg).toMatch(/^3893 \d{3}$/);
    // The reading step is warned that it reads a cut value.
    expect(evs.find((e) => e.type === "step.message")).toMatchObject({
      step_id: "show",
      level: "warning",
    });

    const bad = cairn(["run", "site.yml", "--output-limit", "huge"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--output-limit must be a size");
  });

  it("registers loop results under name.results", () => {
    const dir = project({
      "site.yml": `- shell: echo {{ item }}\n  with_items: [a, b]\n  register: out\n- name: show\n  shell: echo "{{ out.results | map(attribute='stdout') | join(',') }}"\n`,
    });
    const evs = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(outputLines(evs, "show")).toEqual(["a,b"]);
  });

  it("fails with exit 1, names the origin, blocks dependants, and ignore_errors is honoured", () => {
    const dir = project({
      "site.yml": `- name: tolerated\n  shell: exit 3\n  ignore_errors: true\n- name: boom\n  shell: exit 4\n- name: after\n  shell: echo after\n`,
    });
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const evs = events(r.stdout);
    expect(statusOf(evs, "tolerated")).toBe("ignored");
    const failed = evs.find((e) => e.type === "step.failed") as {
      origin: { file: string; line: number };
    };
    expect(failed.origin).toMatchObject({ file: "site.yml", line: 4 });
    expect(["blocked", "cancelled"]).toContain(statusOf(evs, "after"));
    const plain = cairn(["run", "site.yml"], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stdout + plain.stderr).toContain("site.yml:4:3");
  });

  it("retries a flaky step and then succeeds", () => {
    const dir = project({
      "site.yml": `- name: flaky\n  shell: "test -f marker || { touch marker; exit 1; }"\n  retries: 2\n  retry_delay: 10ms\n`,
    });
    const evs = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(evs.filter((e) => e.type === "step.retrying")).toHaveLength(1);
    expect(statusOf(evs, "flaky")).toBe("changed");
  });

  it("kills a timed-out step's whole process group quickly", () => {
    const dir = project({
      "site.yml": `- name: slow\n  shell: sleep 30 & sleep 30\n  timeout: 1s\n`,
    });
    const t0 = Date.now();
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir });
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r.code).toBe(1);
    const failed = events(r.stdout).find((e) => e.type === "step.failed") as { error: string };
    expect(failed.error).toContain("timed out");
  });

  it("runs no side effect in --dry-run", () => {
    const dir = project({
      "site.yml": `- name: make\n  shell: touch made-by-shell\n- name: write\n  file:\n    path: made-by-file\n    state: file\n    content: hi\n`,
    });
    const r = cairn(["run", "site.yml", "--dry-run"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "made-by-shell"))).toBe(false);
    expect(existsSync(join(dir, "made-by-file"))).toBe(false);
  });

  it("runs parallel loop iterations concurrently within --jobs", () => {
    const dir = project({
      "site.yml": `- shell: sleep 0.3\n  with_items: [1, 2, 3, 4]\n  parallel: 4\n`,
    });
    const r = cairn(["run", "site.yml", "--json", "--jobs", "4"], { cwd: dir });
    expect(r.code).toBe(0);
    // All four started before the first one finished: they ran at the same time.
    const evs = events(r.stdout);
    const firstDone = evs.findIndex((e) => e.type === "step.completed");
    expect(evs.slice(0, firstDone).filter((e) => e.type === "step.started")).toHaveLength(4);
    const limited = events(
      cairn(["run", "site.yml", "--json", "--jobs", "2"], { cwd: dir }).stdout,
    );
    const firstDoneLimited = limited.findIndex((e) => e.type === "step.completed");
    expect(
      limited.slice(0, firstDoneLimited).filter((e) => e.type === "step.started"),
    ).toHaveLength(2);
  });

  it("emits NDJSON envelopes with increasing seq and one run.completed", () => {
    const dir = project({ "site.yml": `- print: hi\n- shell: echo x\n` });
    const evs = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(evs.every((e, i) => e.v === 1 && e.seq === i + 1 && typeof e.run_id === "string")).toBe(
      true,
    );
    expect(evs.filter((e) => e.type === "run.completed")).toHaveLength(1);
    expect(evs[0]!.type).toBe("run.started");
  });

  it("stops on SIGINT with exit 130 and leaves no orphan process", async () => {
    const dir = project({
      "site.yml": `- name: long\n  shell: "echo $$ > pid; sleep 20"\n- name: next\n  shell: echo next\n`,
    });
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "--json"], {
      cwd: dir,
      env: { ...process.env, CI: "1" },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    await waitFor(
      () => existsSync(join(dir, "pid")) && readFileSync(join(dir, "pid"), "utf8").trim() !== "",
    );
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    expect(alive(pid)).toBe(false);
    expect(out).toContain('"run.completed"');
  });
});

describe("blocks, handlers, compensation, keep-going", () => {
  it("rescues a failed block, runs always, and continues after the block", () => {
    const dir = project({
      "site.yml": `- name: Guarded
  block:
    - name: try it
      shell: exit 1
    - name: not reached
      shell: echo nope
  rescue:
    - name: recover
      shell: echo recovered
  always:
    - name: cleanup
      shell: echo cleanup
- name: after
  shell: echo after
`,
    });
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(statusOf(evs, "try-it")).toBe("failed");
    expect(statusOf(evs, "not-reached")).not.toBe("changed");
    expect(statusOf(evs, "recover")).toBe("changed");
    expect(statusOf(evs, "cleanup")).toBe("changed");
    expect(statusOf(evs, "after")).toBe("changed");
  });

  it("runs always even when the block fails without rescue, then fails the run", () => {
    const dir = project({
      "site.yml": `- block:\n    - name: boom\n      shell: exit 1\n  always:\n    - name: cleanup\n      shell: echo cleanup\n- name: after\n  shell: echo after\n`,
    });
    const r = cairn(["run", "site.yml", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const evs = events(r.stdout);
    expect(statusOf(evs, "cleanup")).toBe("changed");
    expect(statusOf(evs, "after")).toBe("blocked");
  });

  it("runs a notified handler once at the end, only when the notifier changed", () => {
    const dir = project({
      "site.yml": `steps:
  - name: write config
    file:
      path: app.conf
      content: "v1\\n"
    notify: restart app
  - name: write again
    file:
      path: app.conf
      content: "v1\\n"
    notify: restart app
handlers:
  - name: restart app
    shell: echo restarting
`,
    });
    const first = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(first.filter((e) => e.type === "handler.notified")).toHaveLength(1);
    expect(statusOf(first, "restart-app")).toBe("changed");
    const second = events(cairn(["run", "site.yml", "--json"], { cwd: dir }).stdout);
    expect(statusOf(second, "write-config")).toBe("ok");
    expect(statusOf(second, "restart-app")).toBe("skipped");
  });

  it("compensates completed steps in reverse order with --compensate", () => {
    const dir = project({
      "site.yml": `- name: create a\n  shell: echo a >> log\n  compensate:\n    shell: echo undo-a >> log\n- name: create b\n  shell: echo b >> log\n  compensate:\n    shell: echo undo-b >> log\n- name: explode\n  shell: exit 3\n`,
    });
    const r = cairn(["run", "site.yml", "--json", "--compensate"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, "log"), "utf8")).toBe("a\nb\nundo-b\nundo-a\n");
    expect(statusOf(events(r.stdout), "create-a")).toBe("compensated");
    const started = events(r.stdout).find((e) => e.type === "compensation.started");
    expect(started?.steps).toEqual(["create-b", "create-a"]);
    // Each step completes once; being undone is its own event.
    const completions = events(r.stdout).filter(
      (e) => e.type === "step.completed" && e.step_id === "create-a",
    );
    expect(completions).toHaveLength(1);
    const without = project({ "site.yml": readFileSync(join(dir, "site.yml"), "utf8") });
    cairn(["run", "site.yml"], { cwd: without });
    expect(readFileSync(join(without, "log"), "utf8")).toBe("a\nb\n");
  });

  it("with --keep-going runs what the failure does not block", () => {
    const dir = project({
      "site.yml": `- parallel:\n    - name: fails\n      shell: exit 1\n    - name: independent\n      shell: sleep 0.2; echo independent\n- name: after\n  shell: echo after\n`,
    });
    const evs = events(
      cairn(["run", "site.yml", "--json", "--keep-going", "--jobs", "1"], { cwd: dir }).stdout,
    );
    expect(statusOf(evs, "independent")).toBe("changed");
    expect(statusOf(evs, "after")).toBe("blocked");
    const stop = events(cairn(["run", "site.yml", "--json", "--jobs", "1"], { cwd: dir }).stdout);
    expect(statusOf(stop, "independent")).toBe("cancelled");
  });
});

describe("check_mode: false in a dry run", () => {
  it("runs a step marked safe for real, so later steps see its result", () => {
    const dir = project({
      "site.yml": `- name: read
  shell: echo 42
  register: v
  check_mode: false
- name: use
  shell: touch "made-{{ v.stdout }}"
`,
    });
    const r = cairn(["run", "site.yml", "--dry-run", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(outputLines(evs, "read")).toEqual(["42"]);
    expect(statusOf(evs, "use")).toBe("changed");
    expect(existsSync(join(dir, "made-42"))).toBe(false);
  });
});
