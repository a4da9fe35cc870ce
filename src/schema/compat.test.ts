// Every mooncake example playbook validates unchanged (SPEC §1: "reads mooncake playbooks unchanged").
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../load/index.js";
import { validatePlaybook, validateTaskFile } from "./validate.js";

const ROOT = fileURLToPath(new URL("../../test/fixtures/compat", import.meta.url));
const examples = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(ROOT, d.name))
      .filter((f) => f.endsWith(".yml"))
      .map((f) => join(d.name, f)),
  );
const taskFiles = readdirSync(join(ROOT, "multi-file-configs/tasks")).map((f) =>
  join("multi-file-configs/tasks", f),
);

function load(path: string) {
  const r = parseYaml({ path, text: readFileSync(join(ROOT, path), "utf8") });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe("mooncake compatibility", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    expect(taskFiles.length).toBe(4);
  });

  it.each(examples)("%s validates as a playbook", (path) => {
    const r = validatePlaybook(load(path));
    expect(r.ok ? [] : r.error).toEqual([]);
  });

  it.each(taskFiles)("%s validates as a task file", (path) => {
    const r = validateTaskFile(load(path));
    expect(r.ok ? [] : r.error).toEqual([]);
  });

  it("reads mooncake's execution-control fields", () => {
    const r = validatePlaybook(load("execution-control/config.yml"));
    if (!r.ok) throw new Error("invalid");
    const [timeout, retry] = r.value.steps;
    expect(timeout).toMatchObject({ kind: "action", action: "shell", timeout_ms: 5000 });
    expect(retry).toMatchObject({
      retry: { attempts: 4, delay_ms: 1000, backoff: 1, jitter: false },
      failed_when: [{ source: "False", path: [1, "failed_when"] }],
    });
  });
});
