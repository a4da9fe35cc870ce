/**
 * The dry run tells the truth (SPEC §3.4, §1.3): for every example and compat
 * playbook that runs locally, run dry, then for real, then dry and real again, each
 * in a private /tmp (a mount namespace: the playbooks write to absolute /tmp paths)
 * with a scratch copy of the playbook's directory and a scratch HOME. Then:
 *   predicted-changed ⊆ actually-changed ⊆ predicted-changed ∪ unknown
 * on both passes, and on the second pass every prediction that is not `unknown` is
 * exact. The figures (exact / unknown / wrong) are printed.
 */
import { spawnSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI, COMPAT_PLAYBOOKS, FIXTURES } from "../helpers/cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORPUS = [
  join(ROOT, "examples/hello.yml"),
  ...COMPAT_PLAYBOOKS.map((p) => join(FIXTURES, p)),
];

const canIsolate =
  process.getuid?.() === 0 &&
  spawnSync("unshare", ["--mount", "--propagation", "private", "true"]).status === 0;

type Outcome = "changed" | "unchanged" | "unknown" | "skipped" | "failed" | "other";

interface Pass {
  code: number;
  steps: Map<string, { name: string; outcome: Outcome }>;
}

function parse(stdout: string): Pass[] {
  const passes: Pass[] = [];
  for (const block of stdout.split("\n=== ").slice(1)) {
    const [head = "", ...rest] = block.split("\n");
    const steps = new Map<string, { name: string; outcome: Outcome }>();
    for (const line of rest) {
      if (!line.startsWith("{")) continue;
      const e = JSON.parse(line) as Record<string, unknown>;
      const id = e.step_id as string;
      if (e.type === "step.completed") {
        const p = e.predicted as string | undefined;
        const outcome: Outcome =
          p === "unknown" || e.status === "unknown"
            ? "unknown"
            : (p ?? (e.changed === true ? "changed" : "unchanged")) === "changed"
              ? "changed"
              : "unchanged";
        steps.set(id, { name: e.name as string, outcome });
      } else if (e.type === "step.skipped")
        steps.set(id, { name: e.name as string, outcome: "skipped" });
      else if (e.type === "step.failed")
        steps.set(id, { name: e.name as string, outcome: "failed" });
    }
    passes.push({ code: Number(head.trim()), steps });
  }
  return passes;
}

/** Runs dry, real, dry, real in a private /tmp; returns the four passes. */
function fourPasses(playbook: string): Pass[] {
  const dir = dirname(playbook);
  const script = [
    "set -u",
    "mount -t tmpfs tmpfs /tmp",
    "mkdir -p /tmp/work /tmp/home",
    `cp -r "${dir}/." /tmp/work/`,
    "cd /tmp/work",
    "export HOME=/tmp/home CI=1 NO_COLOR=1",
    `pb="${relative(dir, playbook)}"`,
    `for mode in --dry-run --no-journal --dry-run --no-journal; do`,
    `  out=$("${process.execPath}" "${CLI}" run "$pb" --json $mode 2>/dev/null); code=$?`,
    `  printf '\\n=== %s\\n%s\\n' "$code" "$out"`,
    "done",
  ].join("\n");
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return parse(r.stdout);
}

interface Wrong {
  step: string;
  predicted: Outcome;
  actual: Outcome;
}

function compare(dry: Pass, real: Pass, exact: boolean) {
  const wrong: Wrong[] = [];
  let exactCount = 0;
  let unknown = 0;
  for (const [id, actual] of real.steps) {
    const predicted = dry.steps.get(id)?.outcome ?? "other";
    if (predicted === "unknown") {
      unknown += 1;
      continue;
    }
    const ok =
      predicted === actual.outcome ||
      (!exact &&
        // A change predicted must happen; a change that happens must be predicted.
        predicted !== "changed" &&
        actual.outcome !== "changed");
    if (ok) exactCount += predicted === actual.outcome ? 1 : 0;
    else wrong.push({ step: `${actual.name} [${id}]`, predicted, actual: actual.outcome });
  }
  return { wrong, exact: exactCount, unknown };
}

describe.skipIf(!canIsolate)("dry-run fidelity over the corpus", () => {
  for (const playbook of CORPUS) {
    it(`predicts ${relative(ROOT, playbook)}`, () => {
      const [dry1, real1, dry2, real2] = fourPasses(playbook);
      expect(real1, "four passes ran").toBeDefined();
      if (real1!.code !== 0) return; // does not run locally (the real run failed)
      const first = compare(dry1!, real1!, false);
      const second = compare(dry2!, real2!, true);
      process.stdout.write(
        `fidelity ${relative(ROOT, playbook)}: first pass exact=${first.exact} unknown=${first.unknown} wrong=${first.wrong.length}; second pass exact=${second.exact} unknown=${second.unknown} wrong=${second.wrong.length}\n`,
      );
      expect(first.wrong, "first pass: predicted vs actual").toEqual([]);
      expect(second.wrong, "second pass: predicted vs actual").toEqual([]);
    }, 180_000);
  }
});
