/** `cairn graph <playbook|plan.json> [--format dot|mermaid]`: the plan's DAG for Graphviz or Mermaid. */
import { formatGraph, type GraphFormat } from "../../report/graph.js";
import { EXIT } from "../exit.js";
import { readPlanFile } from "../plan-file.js";
import { type PlanFlags, planFromFlags } from "../plan-input.js";

export async function graphCommand(
  input: string,
  flags: PlanFlags & { format: string },
): Promise<number> {
  if (flags.format !== "dot" && flags.format !== "mermaid") {
    process.stderr.write(`error: --format must be dot or mermaid, got '${flags.format}'\n`);
    return EXIT.invalid;
  }
  let plan: Parameters<typeof formatGraph>[0];
  if (input.endsWith(".json")) {
    const r = readPlanFile(input);
    if (!r.ok) {
      process.stderr.write(`error: ${r.message}\n`);
      return EXIT.invalid;
    }
    plan = r.plan;
  } else {
    const loaded = await planFromFlags(input, flags);
    if (typeof loaded === "number") return loaded;
    plan = loaded.plan;
  }
  process.stdout.write(formatGraph(plan, flags.format as GraphFormat));
  return EXIT.ok;
}
