/**
 * Durable runs through the CLI (SPEC §3.3, §2.4): the journal, resume after a
 * failure and after kill -9, replay, history, the lock, stale plans, and signals
 * that leave nothing running.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, COMPAT_PLAYBOOKS, cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

function stateIn(dir: string) {
  return { CAIRN_STATE_DIR: join(dir, "state") };
}

function onlyRun(dir: string): string {
  const ids = readdirSync(join(dir, "state", "runs"));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function lines(path: string): string[] {
  return existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l !== "")
    : [];
}

/** Processes whose command line contains `marker`. */
function processesWith(marker: string): string[] {
  const r = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return r.stdout.split("\n").filter((l) => l.includes(marker) && !l.includes("ps -eo"));
}

describe("journal, history and replay", () => {
  it("journals a run that runs, show and replay then read back", () => {
    const dir = project({
      "site.yml": "- name: one\n  shell: echo one\n- name: two\n  shell: echo two\n  register: t\n",
    });
    const env = stateIn(dir);
    expect(cairn(["run", "site.yml"], { cwd: dir, env }).code).toBe(0);
    const id = onlyRun(dir);
    const runDir = join(dir, "state", "runs", id);
    for (const f of ["plan.json", "events.jsonl", "meta.json"])
      expect(existsSync(join(runDir, f))).toBe(true);
    expect(existsSync(join(runDir, "lock"))).toBe(false);
    // The full output of each step is kept in the run directory.
    expect(readFileSync(join(runDir, "output", "one.stdout"), "utf8")).toBe("one\n");
    const runs = cairn(["runs", "--json"], { cwd: dir, env });
    expect(JSON.parse(runs.stdout)).toMatchObject([
      { run_id: id, outcome: "success", playbook: "site.yml" },
    ]);
    const show = cairn(["show", id, "--json"], { cwd: dir, env });
    const shown = JSON.parse(show.stdout) as {
      steps: { name: string; status: string; origin: string }[];
    };
    expect(shown.steps.map((s) => [s.name, s.status, s.origin])).toEqual([
      ["one", "changed", "site.yml:1:3"],
      ["two", "changed", "site.yml:3:3"],
    ]);
    const replay = cairn(["replay", "--last"], { cwd: dir, env });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain("issued the recorded commands");
  });

  it("names in each process record the step whose process it is, also with steps in parallel", () => {
    // `echo $$` prints the shell's pid: the leader of the group the record is about.
    const steps = ["a", "b", "c", "d"].map((n) => `    - name: ${n}\n      shell: echo $$\n`);
    const dir = project({ "site.yml": `- parallel:\n${steps.join("")}` });
    expect(cairn(["run", "site.yml"], { cwd: dir, env: stateIn(dir) }).code).toBe(0);
    const runDir = join(dir, "state", "runs", onlyRun(dir));
    const records = lines(join(runDir, "events.jsonl")).map(
      (l) => JSON.parse(l) as { rec: string; step_id?: string; pid?: number },
    );
    const owners = records
      .filter((r) => r.rec === "proc")
      .map((r) => [r.step_id, String(r.pid)])
      .sort();
    const printed = ["a", "b", "c", "d"].map((n) => [
      n,
      readFileSync(join(runDir, "output", `${n}.stdout`), "utf8").trim(),
    ]);
    expect(owners).toEqual(printed);
  });

  it("reports a journal whose engine inputs were doctored as a divergence naming the seq", () => {
    const dir = project({
      "site.yml":
        "- name: a\n  shell: 'true'\n- name: b\n  shell: 'true'\n- name: c\n  shell: 'true'\n",
    });
    const env = stateIn(dir);
    cairn(["run", "site.yml"], { cwd: dir, env });
    const path = join(dir, "state", "runs", onlyRun(dir), "events.jsonl");
    const records = lines(path).map(
      (l) => JSON.parse(l) as { rec: string; input?: { stepId?: string } },
    );
    // Drop b's engine inputs and renumber, so that only replay (not the seq check) can tell.
    const kept = records.filter((r) => !(r.rec === "input" && r.input?.stepId === "b"));
    writeFileSync(path, kept.map((r, i) => JSON.stringify({ ...r, seq: i + 1 })).join("\n") + "\n");
    const replay = cairn(["replay", "--last"], { cwd: dir, env });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(/diverged at record seq \d+/);
  });

  it("refuses a journal with a gap in seq, naming the line", () => {
    const dir = project({ "site.yml": "- name: a\n  shell: 'true'\n" });
    const env = stateIn(dir);
    cairn(["run", "site.yml"], { cwd: dir, env });
    const path = join(dir, "state", "runs", onlyRun(dir), "events.jsonl");
    const all = lines(path);
    writeFileSync(path, [...all.slice(0, 2), ...all.slice(3)].join("\n") + "\n");
    const r = cairn(["show", "--last"], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/events\.jsonl:3: record seq 4 where 3 was expected/);
  });

  it("prunes old runs", () => {
    const dir = project({ "site.yml": "- print: hi\n" });
    const env = stateIn(dir);
    for (let i = 0; i < 3; i++) cairn(["run", "site.yml"], { cwd: dir, env });
    expect(cairn(["runs", "prune", "--keep", "1"], { cwd: dir, env }).stdout).toContain(
      "removed 2 runs",
    );
    expect(readdirSync(join(dir, "state", "runs"))).toHaveLength(1);
  });
});

describe("resume", () => {
  it("after a failure runs only the failed step and what follows, with registered results restored", () => {
    const dir = project({
      "site.yml": [
        "- name: first",
        "  shell: echo first >> log; echo hello",
        "  register: greeting",
        "- name: flaky",
        "  shell: test -f fixed && echo flaky >> log",
        "- name: last",
        "  shell: echo 'last {{ greeting.stdout }}' >> log",
        "",
      ].join("\n"),
    });
    const env = stateIn(dir);
    expect(cairn(["run", "site.yml"], { cwd: dir, env }).code).toBe(1);
    writeFileSync(join(dir, "fixed"), "");
    const r = cairn(["resume", "--last"], { cwd: dir, env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(lines(join(dir, "log"))).toEqual(["first", "flaky", "last hello"]);
    const shown = JSON.parse(cairn(["show", "--last", "--json"], { cwd: dir, env }).stdout) as {
      segments: number;
      outcome: string;
    };
    expect(shown).toMatchObject({ segments: 2, outcome: "success" });
    expect(cairn(["replay", "--last"], { cwd: dir, env }).code).toBe(0);
  });

  it("cairn run --run-id resumes a run that exists", () => {
    const dir = project({
      "site.yml": "- name: a\n  shell: echo a >> log\n- name: b\n  shell: test -f ok\n",
    });
    const env = stateIn(dir);
    expect(cairn(["run", "site.yml", "--run-id", "job-42"], { cwd: dir, env }).code).toBe(1);
    writeFileSync(join(dir, "ok"), "");
    expect(cairn(["run", "site.yml", "--run-id", "job-42"], { cwd: dir, env }).code).toBe(0);
    expect(lines(join(dir, "log"))).toEqual(["a"]);
  });

  it("refuses a stale plan, naming the file that changed", () => {
    const dir = project({
      "site.yml": "- name: a\n  template: {src: t.j2, dest: out}\n- name: b\n  shell: test -f ok\n",
      "t.j2": "v1\n",
    });
    const env = stateIn(dir);
    expect(cairn(["run", "site.yml"], { cwd: dir, env }).code).toBe(1);
    writeFileSync(join(dir, "t.j2"), "v2\n");
    const r = cairn(["resume", "--last"], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t\.j2 changed \(sha256 \w{4}… → \w{4}…\)/);
  });

  it("refuses a second concurrent resume and takes over a dead holder's lock", async () => {
    const dir = project({ "site.yml": "- name: slow\n  shell: sleep 3\n" });
    const env = stateIn(dir);
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "--run-id", "busy"], {
      cwd: dir,
      env: { ...process.env, ...env, CI: "1" },
      stdio: "ignore",
    });
    const lock = join(dir, "state", "runs", "busy", "lock");
    for (let i = 0; i < 100 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    const second = cairn(["resume", "busy"], { cwd: dir, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${child.pid}`);
    await new Promise((r) => child.on("exit", r));
    // A lock left by a process that is gone is taken over.
    writeFileSync(
      lock,
      JSON.stringify({ pid: 999999, host: require("node:os").hostname(), boot_id: null, start: 1 }),
    );
    const third = cairn(["resume", "busy"], { cwd: dir, env });
    expect(third.stderr).toContain("took over the lock");
    expect(third.code).toBe(0);
  });
});

describe("apply", () => {
  it("applies a saved plan, and refuses it once a source or the plan itself changed", () => {
    const dir = project({
      "site.yml": "- name: a\n  template: {src: t.j2, dest: out}\n",
      "t.j2": "v1\n",
    });
    const env = stateIn(dir);
    expect(cairn(["plan", "site.yml", "-o", "site.plan.json"], { cwd: dir, env }).code).toBe(0);
    expect(cairn(["apply", "site.plan.json"], { cwd: dir, env }).code).toBe(0);
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("v1\n");
    writeFileSync(join(dir, "t.j2"), "v2\n");
    const stale = cairn(["apply", "site.plan.json"], { cwd: dir, env });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/t\.j2 changed/);
    writeFileSync(join(dir, "t.j2"), "v1\n");
    const plan = readFileSync(join(dir, "site.plan.json"), "utf8");
    writeFileSync(
      join(dir, "site.plan.json"),
      plan.replace(/"dest": ?"out"/, '"dest": "elsewhere"'),
    );
    const edited = cairn(["apply", "site.plan.json"], { cwd: dir, env });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain("digest does not match");
  });
});

describe("signals and process groups", () => {
  it("SIGTERM kills the running step's processes and exits 143 with a summary", async () => {
    const dir = project({ "site.yml": "- name: long\n  shell: sleep 211\n" });
    const child = spawn(process.execPath, [CLI, "run", "site.yml"], {
      cwd: dir,
      env: { ...process.env, ...stateIn(dir), CI: "1", NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    for (let i = 0; i < 100 && processesWith("sleep 211").length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    const code = await new Promise((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(143);
    expect(out).toContain("cancelled");
    expect(processesWith("sleep 211")).toEqual([]);
  });

  it("a timeout also ends a descendant that left the process group", () => {
    const dir = project({
      "site.yml": "- name: escape\n  shell: setsid sleep 213 & sleep 30\n  timeout: 1s\n",
    });
    const r = cairn(["run", "site.yml"], { cwd: dir, env: stateIn(dir) });
    expect(r.code).toBe(1);
    expect(processesWith("sleep 213")).toEqual([]);
  });

  it("every process step gets the run's variables; removes: skips when the path is absent", () => {
    const dir = project({
      "site.yml": [
        "- name: vars",
        '  shell: echo "$CAIRN_RUN_ID $CAIRN_STEP_ID $CAIRN_ATTEMPT $CAIRN_IDEMPOTENCY_KEY"',
        "- name: gone",
        "  shell: echo should-not-run",
        "  removes: nothing-here",
        "",
      ].join("\n"),
    });
    const r = cairn(["run", "site.yml", "--json", "--run-id", "r1"], {
      cwd: dir,
      env: stateIn(dir),
    });
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const output = evs.find((e) => e.type === "step.output");
    expect(output?.line).toMatch(/^r1 vars 1 [0-9a-f]{32}$/);
    expect(evs.find((e) => e.type === "step.skipped")).toMatchObject({
      step_id: "gone",
      reason: "removes: nothing-here does not exist",
    });
  });
});

describe("crash loop", () => {
  it("kill -9 at seeded moments, then resume --last until done: every step ran, twice only when reported", async () => {
    const n = 25;
    const steps = Array.from(
      { length: n },
      (_, i) => `- name: s${i}\n  shell: echo s${i} >> log; sleep 0.02\n`,
    );
    const dir = project({ "site.yml": steps.join("") });
    const env = { ...process.env, ...stateIn(dir), CI: "1" };
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const reran: string[] = [];
    let finished = false;
    for (let round = 0; round < 30 && !finished; round++) {
      const started = existsSync(join(dir, "state", "runs"));
      const args = started ? ["resume", "--last", "--json"] : ["run", "site.yml", "--json"];
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      // Kill by progress, not by time (the machine may be slow): after 1-4 more steps
      // wrote their line, or, now and then, at once.
      const target = lines(join(dir, "log")).length + 1 + Math.floor(rand() * 4);
      const early = rand() < 0.2;
      const watcher = setInterval(
        () => {
          if (round < 20 && (early || lines(join(dir, "log")).length >= target))
            child.kill("SIGKILL");
        },
        early ? 30 : 5,
      );
      const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
      clearInterval(watcher);
      for (const e of events(
        out
          .split("\n")
          .filter((l) => l.endsWith("}"))
          .join("\n"),
      ))
        if (e.type === "run.completed") reran.push(...((e.reran as string[] | undefined) ?? []));
      finished = code === 0;
      // The journal always parses (a torn tail is tolerated).
      if (existsSync(join(dir, "state", "runs")))
        expect(cairn(["show", "--last", "--json"], { cwd: dir, env: stateIn(dir) }).code).toBe(0);
    }
    expect(finished).toBe(true);
    const log = lines(join(dir, "log"));
    const shown = JSON.parse(
      cairn(["show", "--last", "--json"], { cwd: dir, env: stateIn(dir) }).stdout,
    ) as {
      steps: { step_id: string; status: string; reruns: number }[];
      reran: string[];
    };
    for (const step of shown.steps) {
      const times = log.filter((l) => l === step.step_id).length;
      expect(step.status).toBe("changed");
      expect(times, step.step_id).toBeGreaterThanOrEqual(1);
      // Twice only if it was in flight at a crash, and the journal says it ran again.
      expect(times, step.step_id).toBeLessThanOrEqual(1 + step.reruns);
      if (step.reruns > 0) expect(shown.reran).toContain(step.step_id);
    }
    expect(reran.every((id) => shown.reran.includes(id))).toBe(true);
  }, 120_000);
});

describe("torn tails", () => {
  it("a resume after a journal cut at any byte of its last two records still continues", () => {
    const dir = project({
      "site.yml": "- name: a\n  shell: echo a >> log\n- name: b\n  shell: echo b >> log\n",
    });
    const env = stateIn(dir);
    cairn(["run", "site.yml", "--run-id", "t"], { cwd: dir, env });
    const path = join(dir, "state", "runs", "t", "events.jsonl");
    const whole = readFileSync(path);
    const text = whole.toString("utf8");
    const cut = text.lastIndexOf("\n", text.lastIndexOf("\n", text.length - 2) - 1) + 1;
    for (const at of [cut, cut + 1, Math.floor((cut + whole.length) / 2), whole.length - 1]) {
      writeFileSync(path, whole);
      truncateSync(path, at);
      const r = cairn(["show", "t", "--json"], { cwd: dir, env });
      expect(r.code, `cut at ${at}`).toBe(0);
    }
  });
});

describe("on_interrupt and durable", () => {
  it("a step marked on_interrupt: fail that a crash interrupted settles failed on resume", async () => {
    const dir = project({
      "site.yml":
        "- name: once\n  shell: echo once >> log; sleep 30\n  on_interrupt: fail\n  durable: true\n",
    });
    const env = stateIn(dir);
    const child = spawn(process.execPath, [CLI, "run", "site.yml", "--run-id", "oi"], {
      cwd: dir,
      env: { ...process.env, ...env, CI: "1" },
      stdio: "ignore",
    });
    for (let i = 0; i < 200 && lines(join(dir, "log")).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const r = cairn(["resume", "oi"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("on_interrupt: fail");
    expect(r.stderr).toMatch(/stopped \d+ process(es)? left running/);
    expect(lines(join(dir, "log"))).toEqual(["once"]);
  });
});

describe("replay of real runs", () => {
  it("every compat playbook's journal replays exactly", () => {
    const state = stateIn(project({}));
    for (const playbook of COMPAT_PLAYBOOKS) {
      const id = `compat-${playbook.replace(/[^A-Za-z0-9]+/g, "-")}`;
      cairn(["run", playbook, "--run-id", id], { env: state });
      const r = cairn(["replay", id], { env: state });
      expect(r.code, `${playbook}: ${r.stderr}`).toBe(0);
    }
  }, 180_000);
});
