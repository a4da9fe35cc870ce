// The normalized output of valid playbooks: forms, kinds of steps, short forms and defaults.
import { describe, expect, it } from "vitest";
import { loadDoc, playbook } from "./test-helpers.js";
import { validateTaskFile } from "./validate.js";

describe("top level", () => {
  it("reads a list of steps with paths [i]", () => {
    const p = playbook("- shell: ls\n- print: hi\n");
    expect(p.form).toBe("list");
    expect(p.steps.map((s) => s.path)).toEqual([[0], [1]]);
  });

  it("reads the mapping form", () => {
    const p = playbook(
      [
        'version: "1.0"',
        "vars: {app: web}",
        "on_failure: compensate",
        "hosts: all",
        "secret_env: [TOKEN]",
        "steps:",
        "  - shell: ls",
        "    notify: restart",
        "handlers:",
        "  - name: restart",
        "    listen: [bounce]",
        "    shell: systemctl restart app",
      ].join("\n"),
    );
    expect(p).toMatchObject({
      form: "mapping",
      version: "1.0",
      vars: { app: "web" },
      on_failure: "compensate",
      hosts: ["all"],
      secret_env: ["TOKEN"],
    });
    expect(p.steps[0]).toMatchObject({ path: ["steps", 0], notify: ["restart"] });
    expect(p.handlers[0]).toMatchObject({
      path: ["handlers", 0],
      name: "restart",
      listen: ["bounce"],
    });
  });

  it("reads an empty file as an empty playbook", () => {
    expect(playbook("").steps).toEqual([]);
  });
});

describe("action steps", () => {
  it("expands short forms and keeps structured ones", () => {
    const p = playbook(
      [
        "- shell: ls",
        "- shell: {cmd: make, interpreter: bash, stdin: x}",
        "- command: git status",
        "- command: {argv: [git, status]}",
        "- print: hello",
        "- print: {msg: hello}",
      ].join("\n"),
    );
    expect(p.steps.map((s) => (s.kind === "action" ? [s.action, s.args] : null))).toEqual([
      ["shell", { cmd: "ls" }],
      ["shell", { cmd: "make", interpreter: "bash", stdin: "x" }],
      ["command", { cmd: "git status" }],
      ["command", { argv: ["git", "status"] }],
      ["print", { msg: "hello" }],
      ["print", { msg: "hello" }],
    ]);
  });

  it("folds aliases: file_replace, pattern/replacement, wait.path", () => {
    const p = playbook(
      [
        "- file_replace: {path: /etc/x, pattern: a, replacement: b}",
        "- replace: {path: /etc/x, regexp: a}",
        "- wait: {path: /tmp/ready, timeout: 10s}",
      ].join("\n"),
    );
    expect(p.steps.map((s) => (s.kind === "action" ? [s.action, s.args] : null))).toEqual([
      ["replace", { path: "/etc/x", regexp: "a", replace: "b" }],
      ["replace", { path: "/etc/x", regexp: "a", replace: "" }],
      ["wait", { file_exists: "/tmp/ready", timeout: "10s" }],
    ]);
  });

  it("normalizes modes to octal strings", () => {
    const p = playbook(
      '- file: {path: a, mode: 0644}\n- file: {path: b, mode: 0o755}\n- file: {path: c, mode: "0600"}\n',
    );
    expect(
      p.steps.map((s) => (s.kind === "action" && s.action === "file" ? s.args.mode : null)),
    ).toEqual(["0644", "0755", "0600"]);
  });

  it("normalizes common fields", () => {
    const [step] = playbook(
      [
        "- name: deploy",
        "  id: deploy-app",
        "  shell: ./deploy",
        "  tags: deploy",
        "  when: [a, b]",
        "  changed_when: false",
        "  needs: build",
        "  env: {PORT: 8080, DEBUG: true}",
        "  timeout: 1m30s",
        "  deadline: 10m",
        "  retry: {attempts: 5, delay: 2s, max_delay: 1m, on: timeout}",
        "  breaker: api",
        "  ignore_errors: true",
        "  become: true",
        "  become_user: deploy",
        "  register: out",
        "  compensate: {shell: ./rollback}",
      ].join("\n"),
    ).steps;
    expect(step).toMatchObject({
      kind: "action",
      path: [0],
      id: "deploy-app",
      tags: ["deploy"],
      when: [
        { source: "a", path: [0, "when", 0] },
        { source: "b", path: [0, "when", 1] },
      ],
      changed_when: [{ source: "False", path: [0, "changed_when"] }],
      needs: ["build"],
      env: { PORT: "8080", DEBUG: "true" },
      timeout_ms: 90_000,
      deadline_ms: 600_000,
      retry: {
        attempts: 5,
        delay_ms: 2000,
        backoff: 2,
        max_delay_ms: 60_000,
        jitter: true,
        on: ["timeout"],
      },
      breaker: { key: "api", threshold: 5, cooldown_ms: 30_000 },
      ignore_errors: true,
      become: true,
      become_user: "deploy",
      register: "out",
      compensate: [{ kind: "action", action: "shell", path: [0, "compensate"] }],
    });
  });

  it("reads loops and loop parallelism", () => {
    const [a, b] = playbook(
      "- shell: echo {{ item }}\n  with_items: [1, 2]\n  parallel: 2\n- print: x\n  with_filetree: ./files\n",
    ).steps;
    expect(a).toMatchObject({
      loop: { type: "with_items", items: [1, 2], path: [0, "with_items"] },
      loop_parallel: 2,
    });
    expect(b).toMatchObject({ loop: { type: "with_filetree", root: "./files" } });
  });
});

describe("grouping steps and directives", () => {
  it("reads block/rescue/always with nested paths", () => {
    const [block] = playbook(
      "- name: b\n  become: true\n  block:\n    - shell: a\n  rescue:\n    - shell: b\n  always:\n    - shell: c\n",
    ).steps;
    expect(block).toMatchObject({
      kind: "block",
      become: true,
      block: [{ path: [0, "block", 0] }],
      rescue: [{ path: [0, "rescue", 0] }],
      always: [{ path: [0, "always", 0] }],
    });
  });

  it("reads both forms of parallel", () => {
    const [a, b] = playbook(
      "- parallel:\n    - shell: a\n    - shell: b\n  max: 2\n- parallel: {max: 3, steps: [{shell: c}]}\n",
    ).steps;
    expect(a).toMatchObject({
      kind: "parallel",
      max: 2,
      steps: [{ path: [0, "parallel", 0] }, {}],
    });
    expect(b).toMatchObject({
      kind: "parallel",
      max: 3,
      steps: [{ path: [1, "parallel", "steps", 0] }],
    });
  });

  it("reads include, vars and include_vars", () => {
    const steps = playbook(
      "- vars: {a: 1}\n  export: true\n- include_vars: ./vars/x.yml\n- include: ./tasks/{{ os }}.yml\n  when: os == 'linux'\n  tags: [setup]\n",
    ).steps;
    expect(steps).toMatchObject([
      { kind: "vars", vars: { a: 1 }, export: true },
      { kind: "include_vars", include_vars: "./vars/x.yml", export: false },
      {
        kind: "include",
        include: "./tasks/{{ os }}.yml",
        tags: ["setup"],
        when: [{ source: "os == 'linux'" }],
      },
    ]);
  });
});

describe("validateTaskFile", () => {
  it("accepts a list of steps", () => {
    const r = validateTaskFile(loadDoc("- shell: ls\n", "tasks/a.yml"));
    expect(r.ok && r.value.map((s) => s.path)).toEqual([[0]]);
  });

  it("accepts a mapping with vars and steps (vars first)", () => {
    const r = validateTaskFile(loadDoc("vars: {x: 1}\nsteps:\n  - shell: ls\n", "tasks/a.yml"));
    expect(r.ok && r.value.map((s) => [s.kind, s.path])).toEqual([
      ["vars", ["vars"]],
      ["action", ["steps", 0]],
    ]);
  });

  it("refuses a scalar", () => {
    const r = validateTaskFile(loadDoc("just text\n", "tasks/a.yml"));
    expect(r.ok ? [] : r.error.map((d) => d.code)).toEqual(["type"]);
  });
});
