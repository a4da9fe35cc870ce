// The exported JSON Schema is well-formed draft-07 and agrees with validation on samples.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { playbookJsonSchema } from "./json-schema.js";

type Validate = (data: unknown) => boolean;
interface AjvLike {
  compile(schema: object): Validate;
}

/** ajv 6 (draft-07) comes with eslint; when it is absent, only the structural checks run. */
function loadAjv(): AjvLike | null {
  try {
    const Ajv = createRequire(import.meta.url)("ajv") as new () => AjvLike;
    return new Ajv();
  } catch {
    return null;
  }
}

const schema = playbookJsonSchema() as Record<string, unknown>;
const ajv = loadAjv();

describe("playbookJsonSchema", () => {
  it("is a draft-07 schema with Step and Handler definitions", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(Object.keys(schema.definitions as object)).toEqual(
      expect.arrayContaining(["Step", "Handler"]),
    );
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("describes fields", () => {
    const text = JSON.stringify(schema);
    expect(text).toContain("Per attempt, e.g. 30s");
    expect(text).toContain("Run a command line in a shell");
  });

  it.skipIf(ajv === null).each([
    [[{ name: "x", shell: "ls" }], true],
    [[{ file_replace: { path: "a", pattern: "b" }, retries: 2, retry_delay: "1s" }], true],
    [{ version: "1", steps: [{ block: [{ print: "x" }], rescue: [{ shell: "y" }] }] }, true],
    [{ steps: [], handlers: [{ name: "h", listen: "x", shell: "y" }] }, true],
    [[{ shell: "ls", comand: "x" }], false],
    [[{ shell: "ls", tags: 3 }], false],
    [{ steps: [{ block: [{ print: 3 }] }] }, false],
    [{ stepz: [] }, false],
  ])("judges %j as %s", (doc, valid) => {
    const validate = ajv!.compile(schema);
    expect(validate(doc)).toBe(valid);
  });
});
