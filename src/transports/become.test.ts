import { describe, expect, it } from "vitest";
import { buildInvocation } from "./become.js";
import { processSpec } from "../../test/helpers/process-spec.js";
import type { ProcessSpec } from "./transport.js";

const base: ProcessSpec = processSpec({ command: { shell: "id", interpreter: "sh" } });

describe("buildInvocation", () => {
  it("runs a shell command with its interpreter, argv as is", () => {
    expect(buildInvocation(base, 1000)).toEqual({
      file: "sh",
      args: ["-c", "id"],
      envThroughProcess: true,
      stdinScript: null,
    });
    expect(buildInvocation({ ...base, command: { argv: ["ls", "-l"] } }, 1000).file).toBe("ls");
  });

  it("uses sudo -n for become, passing the step env through env(1)", () => {
    const inv = buildInvocation(
      { ...base, become: true, becomeUser: "app", env: { A: "1" } },
      1000,
    );
    expect(inv).toEqual({
      file: "sudo",
      args: ["-n", "-u", "app", "--", "env", "A=1", "sh", "-c", "id"],
      envThroughProcess: false,
      stdinScript: null,
    });
  });

  it("runs directly when already root and becoming root", () => {
    expect(buildInvocation({ ...base, become: true }, 0).file).toBe("sh");
    expect(buildInvocation({ ...base, become: true, becomeUser: "root" }, 0).file).toBe("sh");
    expect(buildInvocation({ ...base, become: true, becomeUser: "nobody" }, 0).file).toBe("sudo");
  });

  it("as root, becomes another user with runuser when there is one, else sudo", () => {
    const spec = { ...base, become: true, becomeUser: "nobody", env: { A: "1" } };
    expect(buildInvocation(spec, 0, "/usr/sbin/runuser")).toEqual({
      file: "/usr/sbin/runuser",
      args: ["-u", "nobody", "--", "sh", "-c", "id"],
      envThroughProcess: true,
      stdinScript: null,
    });
    expect(buildInvocation(spec, 0, null).file).toBe("sudo");
  });

  it("feeds a script too long for an argument to the shell on stdin", () => {
    const long = `echo ${"x".repeat(200_000)}`;
    const inv = buildInvocation({ ...base, command: { shell: long, interpreter: "sh" } }, 1000);
    expect(inv).toMatchObject({ file: "sh", args: ["-s"], stdinScript: long });
  });
});
