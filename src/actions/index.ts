/** The actions layer: the registry, its contract types and the `unless:` helper. */
export { actions, runCheckCommand } from "./registry.js";
export type { ActionContext, ActionFailure, ActionHandler, ActionOutcome } from "./types.js";
export type { QuietContext } from "./quiet-command.js";
export { splitWords } from "./words.js";
export { unifiedDiff } from "./diff.js";
