/**
 * Golden plans: every mooncake compat playbook (YAML in) pinned as its JSON plan (out),
 * with fixed facts so the files do not depend on the machine. Update deliberately with
 * `npm run test:update` and read the diff.
 */
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { diskView } from "../../src/api/disk-view.js";
import { compile } from "../../src/plan/index.js";
import { COMPAT_PLAYBOOKS, FIXTURES } from "../helpers/cli.js";
import { fixedFacts } from "../helpers/memory.js";

describe("golden plans of the compat playbooks", () => {
  for (const playbook of COMPAT_PLAYBOOKS) {
    it(playbook, async () => {
      const full = join(FIXTURES, playbook);
      const r = compile({
        root: full.slice(dirname(full).length + 1),
        fs: diskView(dirname(full)),
        facts: { local: fixedFacts() },
        cliVars: {},
        tags: playbook.includes("multi-file") ? ["dev"] : [],
        skipTags: [],
        env: { HOME: "/home/tester" },
      });
      expect(r.ok ? [] : r.error).toEqual([]);
      if (!r.ok) return;
      const golden = join(
        FIXTURES,
        "golden",
        `${playbook.replace(/^compat\//, "").replace(/\//g, "__")}.plan.json`,
      );
      await expect(`${JSON.stringify(r.value, null, 2)}\n`).toMatchFileSnapshot(golden);
    });
  }
});
