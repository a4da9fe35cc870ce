/**
 * Redaction at the boundary (SPEC §1.7, §3.4): every event payload passes here once,
 * before the bus hands it to any subscriber, so the journal, `--json`, the live view,
 * `show`, reports, errors and diffs all get the same redacted text; the journal's
 * engine records (which carry error messages) are masked the same way on their way in.
 * A `sensitive` step's result and diff never leave at all.
 */
import type { JournalSink } from "../journal/records.js";
import type { RunEventPayload } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import type { Masker } from "./masker.js";

/** What a sensitive step's result shows instead of itself. */
export const HIDDEN_RESULT = { hidden: "sensitive step: args, output and result are not shown" };

export function eventRedactor(
  plan: Plan,
  masker: Masker,
): (payload: RunEventPayload) => RunEventPayload {
  const sensitive = new Set(
    [...plan.steps, ...plan.handlers].filter((s) => s.sensitive === true).map((s) => s.id),
  );
  return (payload) => {
    let p = payload;
    if (sensitive.size > 0 && "step_id" in p && sensitive.has(p.step_id)) p = hide(p);
    return masker.maskDeep(p);
  };
}

function hide(p: RunEventPayload): RunEventPayload {
  const out: Record<string, unknown> = { ...p };
  if ("result" in out && out.result !== null) out.result = HIDDEN_RESULT;
  if ("diff" in out) out.diff = "content changed (sensitive step)";
  return out as unknown as RunEventPayload;
}

/** The journal sink with every record masked before it is written. */
export function maskedJournal(sink: JournalSink, masker: Masker): JournalSink {
  return {
    append: (body) => sink.append(masker.maskDeep(body)),
    sync: () => sink.sync(),
  };
}
