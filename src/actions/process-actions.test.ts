import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { actions, runCheckCommand } from "./index.js";
import { LAZY_ACTIONS } from "./registry.js";
import { OutputFiles } from "../driver/output-files.js";
import { StepOutput } from "../driver/output-sink.js";
import { context, run, tempDir } from "./test-context.js";

const seq = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join("");

describe("shell", () => {
  it("runs, streams, and shapes the result as Ansible", async () => {
    const { ctx, lines } = context({ cmd: "echo a; echo b; echo err >&2" });
    const out = await actions.get("shell")!.apply(ctx);
    expect(out.changed).toBe(true);
    expect(out.failure).toBeNull();
    expect(out.result).toMatchObject({
      rc: 0,
      stdout: "a\nb",
      stderr: "err",
      cmd: "echo a; echo b; echo err >&2",
      changed: true,
      failed: false,
    });
    // Derived when registered (driver/registered.ts), not stored twice.
    expect(out.result).not.toHaveProperty("stdout_lines");
    expect(out.result).not.toHaveProperty("truncated");
    expect(lines).toEqual(expect.arrayContaining(["stdout:a", "stdout:b", "stderr:err"]));
  });

  it("keeps head and tail of a long output, with byte counts and the file holding it all", async () => {
    const dir = tempDir();
    const output = (registerFull: boolean) =>
      new StepOutput({
        limit: 1000,
        registerFull,
        files: new OutputFiles(undefined, `t-${registerFull}`),
        stepId: "big",
        attempt: 1,
        emit: () => {},
        warn: () => {},
      });
    const cmd = "seq 1 10000; echo oops >&2";
    const cut = await run("shell", { cmd }, "apply", { rootDir: dir, output: output(false) });
    const stdout = cut.result.stdout as string;
    expect(stdout.startsWith("1\n2\n3\n")).toBe(true);
    expect(stdout.endsWith("9999\n10000")).toBe(true);
    expect(stdout).toMatch(/\n\[… 47894 bytes cut …\]\n/);
    expect(cut.result).toMatchObject({
      truncated: true,
      stdout_bytes: 48894,
      stderr_bytes: 5,
      stderr: "oops",
    });
    const file = cut.result.stdout_file as string;
    expect(readFileSync(file, "utf8")).toBe(seq(10000));
    expect(cut.result).not.toHaveProperty("stderr_file");
    expect(cut.register).toBeUndefined();

    const full = await run("shell", { cmd }, "apply", { rootDir: dir, output: output(true) });
    expect(full.result.stdout).toBe(stdout);
    expect(full.register).toMatchObject({ stdout: seq(10000).trimEnd(), truncated: false });
    rmSync(dirname(file), { recursive: true, force: true });
    rmSync(dirname(String(full.result.stdout_file)), { recursive: true, force: true });
  });

  it("fails with reason rc on a non-zero exit", async () => {
    const out = await run("shell", { cmd: "exit 3" });
    expect(out.failure).toEqual({ reason: "rc", message: "command exited with code 3" });
    expect(out.result).toMatchObject({ rc: 3, failed: true });
  });

  it("says a failed sh script looks like bash, and runs it under bash when asked", async () => {
    const cmd = '[[ -n "x" ]] && echo {a,b}';
    const out = await run("shell", { cmd });
    expect(out.failure?.reason).toBe("rc");
    expect(out.failure?.message).toMatch(
      /^command exited with code \d+; this looks like bash \(\[\[ \.\.\. \]\], \{a,b\} expansion\): add 'interpreter: bash'$/,
    );
    expect(out.result.msg).toBe(out.failure?.message);
    const bash = await run("shell", { cmd, interpreter: "bash" });
    expect(bash.result.stdout).toBe("a b");
    const plain = await run("shell", { cmd: "echo {a,b}; exit 2" });
    expect(plain.failure?.message).toContain("looks like bash ({a,b} expansion)");
    const none = await run("shell", { cmd: 'echo "$HOME" "a,b"; exit 4' });
    expect(none.failure?.message).toBe("command exited with code 4");
  });

  it("uses exec env, cwd and stdin, and bash when asked", async () => {
    const dir = tempDir();
    const out = await run(
      "shell",
      { cmd: 'echo "$V $(pwd) $(cat)" "$0"', interpreter: "bash", stdin: "in" },
      "apply",
      { exec: { env: { V: "v" }, cwd: dir, become: false, become_user: null } },
    );
    expect(out.result.stdout).toBe(`v ${dir} in bash`);
  });

  it("reports an abort as killed", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const out = await run("shell", { cmd: "sleep 10" }, "apply", { signal: ac.signal });
    expect(out.failure?.reason).toBe("killed");
  });

  it("check runs nothing and predicts a change", async () => {
    const dir = tempDir();
    const out = await run("shell", { cmd: `touch ${dir}/x` }, "check");
    expect(out).toMatchObject({ changed: true, failure: null });
    expect(out.result.msg).toMatch(/would run/);
    expect(existsSync(`${dir}/x`)).toBe(false);
  });

  it("requires cmd", async () => {
    const out = await run("shell", {});
    expect(out.failure).toEqual({ reason: "error", message: "shell: 'cmd' is required" });
  });
});

describe("command", () => {
  it("runs argv without a shell", async () => {
    const out = await run("command", { argv: ["echo", "$HOME", "a  b"] });
    expect(out.result.stdout).toBe("$HOME a  b");
    expect(out.result.cmd).toEqual(["echo", "$HOME", "a  b"]);
  });

  it("splits cmd shell-style", async () => {
    const out = await run("command", { cmd: `printf '%s|' "a b" c\\ d 'e'f` });
    expect(out.result.stdout).toBe("a b|c d|ef|");
  });

  it("reports a missing binary as an error, not an rc", async () => {
    const out = await run("command", { cmd: "cairn-no-such-binary x" });
    expect(out.failure?.reason).toBe("error");
    expect(out.result.rc).toBeNull();
  });

  it("refuses an unterminated quote", async () => {
    const out = await run("command", { cmd: "echo 'oops" });
    expect(out.failure?.message).toMatch(/unterminated single quote/);
  });
});

describe("print", () => {
  it("returns the message, unchanged, in both modes", async () => {
    for (const mode of ["check", "apply"] as const) {
      const out = await run("print", { msg: "hello" }, mode);
      expect(out).toMatchObject({ changed: false, failure: null, result: { msg: "hello" } });
    }
  });
});

describe("runCheckCommand", () => {
  it("returns the exit code quietly", async () => {
    const { ctx, lines } = context({});
    expect(await runCheckCommand(ctx, "echo hi; exit 4")).toBe(4);
    expect(await runCheckCommand(ctx, "true")).toBe(0);
    expect(lines).toEqual([]);
  });
});

describe("registry", () => {
  it("has the built actions, file_replace as an alias, not the unbuilt ones", () => {
    for (const n of [
      "shell",
      "command",
      "print",
      "assert",
      "file",
      "template",
      "copy",
      "replace",
      "lineinfile",
      "wait",
      "unarchive",
      "download",
    ]) {
      expect(actions.get(n)?.name).toBe(n);
    }
    expect(actions.get("file_replace")?.name).toBe("replace");
    expect(actions.get("shell")?.runsProcess).toBe(true);
    expect(actions.get("file")?.runsProcess).toBe(false);
  });

  it("knows each action's name and runsProcess before loading it, as its module says", async () => {
    for (const lazy of LAZY_ACTIONS) {
      const h = await lazy.load();
      expect({ name: h.name, runsProcess: h.runsProcess }).toEqual({
        name: lazy.name,
        runsProcess: lazy.runsProcess,
      });
    }
  });
});
