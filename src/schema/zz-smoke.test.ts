import { it } from "vitest";
import Ajv from "ajv";
import { playbookJsonSchema } from "./index.js";
it("smoke", () => {
  const s = playbookJsonSchema() as Record<string, unknown>;
  console.log(Object.keys(s), Object.keys((s.definitions ?? s.$defs ?? {}) as object));
  console.log(JSON.stringify(s).slice(0, 1500));
  const ajv = new Ajv({ allErrors: false });
  const v = ajv.compile(s);
  console.log(v([{ name: "x", shell: "ls" }]), v([{ shell: "ls", comand: 1 }]), v({ steps: [{ block: [{ print: "x" }] }] }), v({ steps: [{ block: [{ print: 3 }] }] }));
});
