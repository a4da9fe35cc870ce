import { describe, expect, it } from "vitest";
import { isCI, selectReporter, useColor } from "./select.js";
import { ev, FakeOutput, script, stripAnsi } from "./testing.js";

const events = script([
  ev.runStarted(1),
  ev.started("s", "Install git", 1),
  ev.completed("s", "Install git", "ok", 12),
  ev.runCompleted("success", { ok: 1 }, 20),
]);

async function drive(opts: {
  json?: boolean;
  tty: boolean;
  env: Record<string, string | undefined>;
}) {
  const stdout = new FakeOutput(opts.tty);
  const stderr = new FakeOutput(opts.tty);
  const r = await selectReporter({ json: opts.json ?? false, stdout, stderr, env: opts.env });
  for (const e of events) r.onEvent(e);
  r.close();
  return { stdout: stdout.text, stderr: stderr.text };
}

const isTty = (text: string) => text.includes("\x1b[?25l");

describe("selectReporter", () => {
  it("--json writes only NDJSON to stdout, even on a terminal", async () => {
    const { stdout, stderr } = await drive({ json: true, tty: true, env: {} });
    expect(
      stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual(events);
    expect(stderr).toBe("");
  });

  it("uses the live view on a terminal outside CI, with colors", async () => {
    const { stdout } = await drive({ tty: true, env: {} });
    expect(isTty(stdout)).toBe(true);
    expect(stdout).toContain("\x1b[32mok");
  });

  it("uses plain lines under CI, or when stdout is not a terminal", async () => {
    for (const [tty, env] of [
      [true, { CI: "true" }],
      [false, {}],
    ] as const) {
      const { stdout } = await drive({ tty, env });
      expect(isTty(stdout)).toBe(false);
      expect(stripAnsi(stdout)).toContain("[1/1] Install git\nok       Install git (12ms)\n");
    }
  });

  it("honours NO_COLOR on a terminal and FORCE_COLOR in a pipe", async () => {
    expect((await drive({ tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\x1b[32m");
    expect((await drive({ tty: false, env: { FORCE_COLOR: "1" } })).stdout).toContain("\x1b[32mok");
  });
});

describe("useColor", () => {
  const tty = new FakeOutput(true);
  const pipe = new FakeOutput(false);
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: "1" }, false],
    [tty, { NO_COLOR: "" }, true],
    [pipe, { FORCE_COLOR: "1" }, true],
    [pipe, { FORCE_COLOR: "3" }, true],
    [tty, { FORCE_COLOR: "0" }, false],
    [tty, { FORCE_COLOR: "false" }, false],
    [tty, { FORCE_COLOR: "" }, true],
    [tty, { NO_COLOR: "1", FORCE_COLOR: "1" }, true],
  ])("isTTY=%o env=%o → %s", (out, env, want) => {
    expect(useColor(out, env)).toBe(want);
  });
});

describe("isCI", () => {
  it.each([
    [{}, false],
    [{ CI: "" }, false],
    [{ CI: "false" }, false],
    [{ CI: "0" }, false],
    [{ CI: "true" }, true],
    [{ CI: "1" }, true],
  ])("%o → %s", (env, want) => {
    expect(isCI(env)).toBe(want);
  });
});
