/** `cairn schema`: the JSON Schema of the playbook language, for editors (yaml-language-server). */
import { playbookJsonSchema } from "../../schema/index.js";
import { EXIT } from "../exit.js";

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
