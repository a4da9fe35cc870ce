/** `cairn validate <playbook>...`: compile each playbook; report every error; print nothing else on success but a line per file. */
import { EXIT } from "../exit.js";
import { planFromFlags } from "../plan-input.js";

export async function validateCommand(
  playbooks: string[],
  presetsDir: string[] = [],
): Promise<number> {
  let code: number = EXIT.ok;
  for (const playbook of playbooks) {
    const loaded = await planFromFlags(playbook, { varsFile: [], var: [], presetsDir });
    if (typeof loaded === "number") code = loaded;
    else process.stdout.write(`${playbook}: ok (${loaded.plan.steps.length} steps)\n`);
  }
  return code;
}
