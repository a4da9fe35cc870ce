/**
 * Golden plans: every mooncake compat playbook (YAML in) pinned as its JSON plan (out),
 * with fixed facts so the files do not depend on the machine. Update deliberately with
 * `npm run test:update` and read the diff.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diskView } from "../../src/api/disk-view.js";
import { compile } from "../../src/plan/index.js";
import { fixedFacts } from "../helpers/memory.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const PLAYBOOKS = [
  "compat/conditionals/config.yml",
  "compat/execution-control/config.yml",
  "compat/files-and-directories/config.yml",
  "compat/hello-world/config.yml",
  "compat/loops/with-items.yml",
  "compat/multi-file-configs/main.yml",
  "compat/tags/config.yml",
  "compat/templates/config.yml",
];

describe("golden plans of the compat playbooks", () => {
  for (const playbook of PLAYBOOKS) {
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
