// Each kind of playbook error, with its code, message and exact position.
import { describe, expect, it } from "vitest";
import { playbook, problems } from "./test-helpers.js";

const at = (line: number, column: number, length?: number) => ({
  file: "site.yml",
  line,
  column,
  ...(length === undefined ? {} : { length }),
});

describe("unknown keys", () => {
  it("points at the key, with a hint", () => {
    expect(problems("- name: list\n  comand: ls\n")).toEqual([
      {
        severity: "error",
        code: "unknown-key",
        message: "unknown field 'comand'",
        pos: at(2, 3, 6),
        hint: "did you mean 'command'?",
      },
    ]);
  });

  it("names cairn's equivalent of an Ansible keyword", () => {
    const [debug, loop] = problems("- debug: msg=hi\n- shell: ls\n  loop: [1, 2]\n");
    expect(debug).toMatchObject({ code: "unknown-key", pos: at(1, 3, 5) });
    expect(debug?.hint).toContain("print");
    expect(loop?.hint).toContain("with_items");
  });

  it("explains YAML 1.1 booleans", () => {
    const [d] = problems("- shell: ls\n  become: yes\n");
    expect(d).toMatchObject({ code: "type", hint: "YAML 1.2 reads 'yes' as text: write true" });
  });

  it("knows the output fields", () => {
    expect(problems("- shell: ls\n  output_limt: 1MiB\n")[0]).toMatchObject({
      code: "unknown-key",
      hint: "did you mean 'output_limit'?",
    });
    expect(problems("- shell: ls\n  register_ful: true\n")[0]?.hint).toBe(
      "did you mean 'register_full'?",
    );
    expect(problems("- shell: ls\n  output_limit: lots\n")[0]).toMatchObject({
      code: "type",
      pos: at(2, 17, 4),
    });
    expect(
      playbook("- shell: ls\n  output_limit: 1MiB\n  register_full: true\n").steps,
    ).toHaveLength(1);
  });

  it("gives no hint when nothing is close", () => {
    const [d] = problems("- shell: ls\n  frobnicate: 1\n");
    expect(d).toMatchObject({ code: "unknown-key", pos: at(2, 3, 10) });
    expect(d?.hint).toBeUndefined();
  });

  it("works inside actions and nested objects", () => {
    expect(problems("- file:\n    pth: /x\n    path: /y\n")).toEqual([
      {
        severity: "error",
        code: "unknown-key",
        message: "unknown field 'pth' in 'file'",
        pos: at(2, 5, 3),
        hint: "did you mean 'path'?",
      },
    ]);
    expect(problems("- shell: ls\n  retry: {atempts: 3}\n")[0]).toMatchObject({
      message: "unknown field 'atempts' in 'retry'",
      pos: at(2, 11, 7),
      hint: "did you mean 'attempts'?",
    });
  });

  it("reports unknown top-level keys", () => {
    expect(problems("stepz: []\n")[0]).toMatchObject({
      code: "unknown-key",
      message: "unknown field 'stepz'",
      pos: at(1, 1, 5),
      hint: "did you mean 'steps'?",
    });
  });

  it("reports a field on a kind of step it does not apply to", () => {
    expect(problems("- include: a.yml\n  register: x\n")[0]).toMatchObject({
      code: "misplaced-key",
      message: "field 'register' is not valid on an include step",
      pos: at(2, 3, 8),
    });
    expect(problems("- shell: ls\n  listen: x\n")[0]).toMatchObject({
      message: "field 'listen' is only valid on handlers",
    });
  });
});

describe("wrong types", () => {
  it("names the field, what it must be and what it got", () => {
    expect(problems("- shell: ls\n  tags: 3\n")).toEqual([
      {
        severity: "error",
        code: "type",
        message: "field 'tags' must be a list of strings, got a number",
        pos: at(2, 9, 1),
      },
    ]);
  });

  it("explains a union through the option that matches the value's shape", () => {
    expect(problems("- shell: {cmd: 3}\n")[0]).toMatchObject({
      message: "field 'shell.cmd' must be a string, got a number",
      pos: at(1, 16, 1),
    });
    expect(problems("- shell: [ls]\n")[0]).toMatchObject({
      message: "field 'shell' must be a command line, or a mapping with 'cmd', got a list",
    });
  });

  it("shows the value for format and choice errors, with a hint", () => {
    expect(problems("- shell: ls\n  timeout: soon\n")[0]).toMatchObject({
      message: expect.stringContaining("field 'timeout' must be a duration such as 30s"),
      pos: at(2, 12, 4),
    });
    expect(problems("- file: {path: /x, state: dir}\n")[0]).toMatchObject({
      message: expect.stringMatching(/^field 'file.state' must be one of file, .*, got 'dir'$/),
      hint: "did you mean 'directory'?",
    });
  });

  it("reports missing required fields at their parent", () => {
    expect(problems("- template: {src: a.j2}\n")[0]).toMatchObject({
      code: "missing-field",
      message: "'template' needs field 'dest'",
      pos: at(1, 13, 1),
    });
  });

  it("reports bounds and numeric modes", () => {
    expect(problems("- shell: ls\n  retry: {attempts: 0}\n")[0]).toMatchObject({
      message: "field 'retry.attempts' must be greater than 0, got 0",
    });
    expect(problems("- file: {path: /x, mode: 0689}\n")[0]).toMatchObject({
      message: "field 'file.mode' must be an octal mode such as \"0644\", got 689",
      pos: at(1, 26, 4),
    });
  });

  it("reports a step that is not a mapping", () => {
    expect(problems("- ls -la\n")[0]).toMatchObject({
      code: "type",
      message: "a step must be a mapping, got a string",
      pos: at(1, 3),
    });
  });
});

describe("actions", () => {
  it("refuses two actions, naming both, at the second", () => {
    expect(problems("- shell: ls\n  command: ls\n")).toEqual([
      {
        severity: "error",
        code: "multiple-actions",
        message: "a step has exactly one action; this one has 'shell' and 'command'",
        pos: at(2, 3, 7),
      },
    ]);
  });

  it("refuses a step without an action, listing some", () => {
    expect(problems("- name: nothing\n  when: x\n")).toEqual([
      {
        severity: "error",
        code: "no-action",
        message: expect.stringContaining("this step has no action (one of shell, command, file"),
        pos: at(1, 3, 1),
      },
    ]);
  });

  it("reports only the unknown key when it is a misspelled action", () => {
    expect(problems("- name: x\n  shel: ls\n").map((d) => d.code)).toEqual(["unknown-key"]);
  });

  it("checks exclusive fields", () => {
    expect(problems("- copy: {dest: /x}\n")[0]).toMatchObject({
      message: "'copy' needs one of 'src', 'content'",
      pos: at(1, 3, 4),
    });
    expect(problems("- replace: {path: x, regexp: a, pattern: b}\n")[0]).toMatchObject({
      message: "'regexp' and 'pattern' cannot be used together",
      pos: at(1, 33, 7),
    });
    expect(problems("- shell: ls\n  retries: 2\n  retry: {attempts: 3}\n")[0]).toMatchObject({
      code: "conflict",
      pos: at(3, 3, 5),
    });
    expect(problems("- shell: ls\n  parallel: 4\n")[0]).toMatchObject({ code: "conflict" });
  });
});

describe("version", () => {
  it("refuses another major version", () => {
    expect(problems('version: "2"\nsteps: []\n')).toEqual([
      {
        severity: "error",
        code: "version",
        message: "unsupported playbook version 2; this cairn reads version 1",
        pos: at(1, 10, 3),
      },
    ]);
  });
});

describe("all errors", () => {
  it("are reported in document order, nested steps included", () => {
    const ds = problems(
      [
        "steps:",
        "  - block:",
        "      - shell: ls",
        "        becom: true",
        "    rescue: 3",
        "  - name: a",
        "    comand: x",
        "    tags: 1",
        "  - shell: ls",
        "    compensate:",
        "      print: {mgs: x}",
        "handlers:",
        "  - name: h",
        "    shell: x",
        "    listen: 5",
      ].join("\n"),
    );
    expect(ds.map((d) => [d.code, d.pos?.line])).toEqual([
      ["unknown-key", 4],
      ["type", 5],
      ["unknown-key", 7],
      ["type", 8],
      ["unknown-key", 11],
      ["type", 15],
    ]);
  });
});
