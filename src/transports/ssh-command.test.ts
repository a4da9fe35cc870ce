import { execFileSync, spawnSync } from "node:child_process";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { processSpec } from "../../test/helpers/process-spec.js";
import {
  buildRemoteCommand,
  killLine,
  MAX_HEADER_SCRIPT,
  parseStatusLine,
  scriptPlacement,
  shq,
} from "./ssh-command.js";

const TOKEN = "cairn-0123456789abcdef";

/** What sshd would do with the exec line and the header: run it in a local sh. */
function runLocally(spec: ReturnType<typeof processSpec>): { stdout: string; stderr: string } {
  const cmd = buildRemoteCommand(spec, TOKEN);
  const r = spawnSync("sh", ["-c", cmd.execLine], {
    input: cmd.header + (cmd.trailer ?? ""),
    encoding: "utf8",
  });
  return { stdout: r.stdout, stderr: r.stderr };
}

describe("the remote command", () => {
  test.prop([fc.string({ unit: "binary" }).map((s) => s.replace(/\0/g, ""))], { numRuns: 60 })(
    "single quoting survives any text without NUL",
    (s) => {
      expect(execFileSync("sh", ["-c", `printf %s ${shq(s)}`], { encoding: "utf8" })).toBe(s);
    },
  );

  it("keeps the step out of the command line: env, cwd and script are in the header", () => {
    const spec = processSpec({
      command: { shell: "echo secret-script", interpreter: "sh" },
      env: { TOKEN_VAR: "secret-value" },
      cwd: "/tmp",
    });
    const cmd = buildRemoteCommand(spec, TOKEN);
    expect(cmd.execLine).not.toMatch(/secret|\/tmp/);
    expect(cmd.header).toMatch(/secret-value/);
    expect(cmd.header.endsWith(`\n${TOKEN}\n`)).toBe(true);
    expect(buildRemoteCommand({ ...spec, env: {} }, TOKEN).execLine).toBe(cmd.execLine);
  });

  it("reports the process group, then runs the command with its env and cwd", () => {
    const r = runLocally(
      processSpec({
        command: { shell: 'printf "%s|" "$A" "$PWD"', interpreter: "sh" },
        env: { A: "x 'y'\nz" },
        cwd: "/usr",
      }),
    );
    expect(parseStatusLine(r.stderr, TOKEN)).toMatchObject({ status: "go" });
    expect(r.stdout).toBe("x 'y'\nz|/usr|");
  });

  it("sends a long script after the header, or through a file when there is stdin", () => {
    const long = `echo start\n${": padding\n".repeat(MAX_HEADER_SCRIPT / 8)}echo end`;
    expect(scriptPlacement(processSpec({ command: { shell: long, interpreter: "sh" } }))).toBe(
      "stdin",
    );
    expect(
      scriptPlacement(processSpec({ command: { shell: long, interpreter: "sh" }, stdin: "x" })),
    ).toBe("file");
    expect(scriptPlacement(processSpec({ command: { argv: ["true"] }, stdin: "x" }))).toBe(
      "header",
    );
    const r = runLocally(processSpec({ command: { shell: long, interpreter: "sh" } }));
    expect(r.stdout).toBe("start\nend\n");
  });

  it("parses only its own status lines", () => {
    expect(parseStatusLine(`${TOKEN} 123 go\n`, TOKEN)).toEqual({ pgid: 123, status: "go" });
    expect(parseStatusLine(`${TOKEN} 123 cwd`, TOKEN)).toEqual({ pgid: 123, status: "cwd" });
    expect(parseStatusLine(`cairn-other 123 go`, TOKEN)).toBeNull();
    expect(parseStatusLine(`${TOKEN} x go`, TOKEN)).toBeNull();
    expect(parseStatusLine(`${TOKEN} 1 maybe`, TOKEN)).toBeNull();
  });

  it("kills a group the way dash's kill understands, through sudo under become", () => {
    expect(killLine(42, "TERM", false, null)).toBe("kill -TERM -42");
    expect(killLine(42, "KILL", true, "app")).toBe("sudo -n -u 'app' -- sh -c 'kill -KILL -42'");
  });
});
