/** `cairn plan <playbook>`: compile and print (or save) the plan. */
import { stringify } from "yaml";
import { formatPlanText } from "../../report/plan-text.js";
import { EXIT, useColor } from "../exit.js";
import { type PlanFlags, planFromFlags } from "../plan-input.js";
import { writeFileAtomic } from "../write-file.js";

export interface PlanCommandFlags extends PlanFlags {
  output?: string;
  format: string;
}

export async function planCommand(playbook: string, flags: PlanCommandFlags): Promise<number> {
  if (!["text", "json", "yaml"].includes(flags.format)) {
    process.stderr.write(`error: --format must be text, json or yaml, got '${flags.format}'\n`);
    return EXIT.invalid;
  }
  const loaded = await planFromFlags(playbook, flags);
  if (typeof loaded === "number") return loaded;
  const { plan } = loaded;
  if (flags.output !== undefined) {
    try {
      // Compact: a plan file is for `cairn apply`/`diff`/`graph`, not for reading
      // (`--format json` prints it indented); indentation made it 1.8× as large.
      writeFileAtomic(flags.output, `${JSON.stringify(plan)}\n`);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      process.stderr.write(`error: cannot write the plan to '${flags.output}' (${why})\n`);
      return EXIT.invalid;
    }
    process.stderr.write(
      `plan with ${plan.steps.length} steps written to ${flags.output} (${plan.digest})\n`,
    );
    return EXIT.ok;
  }
  const text =
    flags.format === "json"
      ? `${JSON.stringify(plan, null, 2)}\n`
      : flags.format === "yaml"
        ? // Written as YAML 1.1 so that keys like `on` and values like `yes` come out
          // quoted, and read the same by 1.1 readers (PyYAML) and 1.2 ones.
          stringify(plan, { aliasDuplicateObjects: false, version: "1.1" })
        : formatPlanText(plan, { color: useColor(process.stdout) });
  process.stdout.write(text);
  return EXIT.ok;
}
