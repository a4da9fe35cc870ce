/**
 * `cairn report`, `cairn show --format text|json|html` and `cairn run --report`
 * through the built CLI: one model of a run behind all of them, a run still going
 * rendered from its journal so far, and located errors for a bad run id.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cairn } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const SITE = `steps:
  - name: first
    shell: echo 'hello <world>'
  - parallel:
      - name: left
        shell: sleep 0.2
      - name: right
        shell: sleep 0.1
  - name: last
    file: {path: out.txt, content: "done\\n"}
`;

describe("report and show formats", () => {
  it("renders the same run as text, JSON and HTML, and as a report file", () => {
    const dir = project({ "site.yml": SITE });
    const env = { CAIRN_STATE_DIR: join(dir, "state") };
    const run = cairn(["run", "site.yml", "--report", "at-end.html"], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("report: at-end.html");

    const json = JSON.parse(
      cairn(["show", "--last", "--format", "json"], { cwd: dir, env }).stdout,
    ) as {
      outcome: string;
      steps: { name: string; status: string; start_ms: number; end_ms: number }[];
      critical_path: string[];
    };
    expect(json.outcome).toBe("success");
    expect(json.steps.map((s) => s.name)).toEqual(["first", "left", "right", "last"]);
    const [first, left, right] = json.steps;
    // left and right ran side by side, after first.
    expect(left!.start_ms).toBeGreaterThanOrEqual(first!.end_ms);
    expect(right!.start_ms).toBeLessThan(left!.end_ms);
    expect(json.critical_path.at(-1)).toBe("last");

    const text = cairn(["show", "--last"], { cwd: dir, env }).stdout;
    expect(text).toMatch(/changed\s+1\s+\d+ms\s+site\.yml:5:9\s+left/);

    const html = cairn(["show", "--last", "--format", "html"], { cwd: dir, env }).stdout;
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<g class="bar s-changed/g)).toHaveLength(4);
    expect(html).toContain("hello &lt;world&gt;");

    const report = cairn(["report", "--last", "-o", "r.html"], { cwd: dir, env });
    expect(report.code).toBe(0);
    const file = readFileSync(join(dir, "r.html"), "utf8");
    expect(file).toBe(html);
    expect(readFileSync(join(dir, "at-end.html"), "utf8").match(/<g class="bar /g)).toHaveLength(4);

    // Default name: cairn-report-<run_id>.html in the current directory.
    expect(cairn(["report", "--last"], { cwd: dir, env }).code).toBe(0);
    expect(readdirSync(dir).some((f) => /^cairn-report-.+\.html$/.test(f))).toBe(true);
  });

  it("reports a run still going from its journal so far", async () => {
    const dir = project({
      "site.yml": "- name: quick\n  shell: 'true'\n- name: slow\n  shell: sleep 30\n",
    });
    const env = { ...process.env, CAIRN_STATE_DIR: join(dir, "state"), NO_COLOR: "1", CI: "1" };
    const child = spawn(process.execPath, [CLI, "run", "site.yml"], {
      cwd: dir,
      env,
      stdio: "ignore",
    });
    try {
      const deadline = Date.now() + 20_000;
      let journal = "";
      while (!journal.includes('"name":"slow"') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        const runs = existsSync(join(dir, "state", "runs"))
          ? readdirSync(join(dir, "state", "runs"))
          : [];
        const path =
          runs[0] === undefined ? "" : join(dir, "state", "runs", runs[0], "events.jsonl");
        journal = path !== "" && existsSync(path) ? readFileSync(path, "utf8") : "";
      }
      const r = cairn(["report", "--last", "-o", "-"], {
        cwd: dir,
        env: { CAIRN_STATE_DIR: env.CAIRN_STATE_DIR },
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("This run is still running");
      expect(r.stdout.match(/<g class="bar s-changed/g)).toHaveLength(1);
      expect(r.stdout.match(/<g class="bar s-running/g)).toHaveLength(1);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });

  it("refuses an unknown run with exit 2 and a message", () => {
    const dir = project({ "site.yml": "- shell: 'true'\n" });
    const env = { CAIRN_STATE_DIR: join(dir, "state") };
    const r = cairn(["report", "nope"], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no run 'nope'/);
    expect(cairn(["show", "--last", "--format", "xml"], { cwd: dir, env }).code).toBe(2);
  });
});
