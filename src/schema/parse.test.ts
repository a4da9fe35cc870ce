// safeParse (parse.ts) skips zod's JIT for a schema's first parses: the verdicts and
// issues must be exactly those of zod's compiled parser, before and after it takes over.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { safeParse } from "./parse.js";
import { makeStepSchemas } from "./step-schemas.js";

const schemas = makeStepSchemas(null);
const KEYS = ["shell", "name", "when", "register", "timeout", "retry", "env", "tags", "bogus"];

const stepLike = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom("echo hi", "30s", "x1", { cmd: "ls" }, { attempts: 2, delay: "1s" }),
  ),
);

const verdict = (r: ReturnType<typeof safeParse>) =>
  r.success
    ? { ok: r.data }
    : { issues: r.error.issues.map(({ code, path, message }) => ({ code, path, message })) };

test.prop([fc.array(stepLike, { minLength: 1, maxLength: 100 })])(
  "gives zod's compiled parser's verdict and issues, before and after it takes over",
  (steps) => {
    // A schema of its own per run, so that both sides of the JIT threshold are reached.
    const schema = makeStepSchemas(null).action("shell", false);
    for (const step of steps) {
      const compiled = schemas.action("shell", false).safeParse(step);
      expect(verdict(safeParse(schema, step))).toEqual(verdict(compiled));
    }
  },
);
