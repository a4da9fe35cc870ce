/**
 * `cairn report <run_id> | --last [-o FILE]`: the run as one self-contained HTML page
 * (timeline, graph, step table, output). Without `-o` it is written to
 * `cairn-report-<run_id>.html`; `-o -` writes it to stdout. A run still going is
 * rendered from its journal so far.
 */
import { renderReport } from "../../report/html/page.js";
import { EXIT } from "../exit.js";
import { readRunModel } from "../run-model-read.js";
import type { StateDirFlags } from "../state-dir.js";
import { writeFileAtomic } from "../write-file.js";

export function reportCommand(
  id: string | undefined,
  flags: StateDirFlags & { last?: boolean; output?: string },
): number {
  const model = readRunModel(id, flags);
  if (typeof model === "number") return model;
  const html = renderReport(model);
  if (flags.output === "-") {
    process.stdout.write(html);
    return EXIT.ok;
  }
  const path = flags.output ?? `cairn-report-${model.run_id}.html`;
  try {
    writeFileAtomic(path, html);
  } catch (e) {
    process.stderr.write(`error: cannot write ${path}: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
  process.stderr.write(
    `wrote ${path} (${Math.ceil(Buffer.byteLength(html) / 1024)} KB, ${model.steps.length} steps, ${model.outcome})\n`,
  );
  return EXIT.ok;
}
