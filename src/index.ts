/**
 * cairn's library API (SPEC §5). The CLI is a thin layer over these functions.
 *
 *   const loaded = loadPlaybook("site.yml", { vars: { env: "prod" } });
 *   if (loaded.ok) await execute(loaded.value.plan, { rootDir: loaded.value.rootDir, playbook: "site.yml" });
 */
export { type LoadedPlaybook, type LoadOptions, loadPlaybook } from "./api/load-playbook.js";
export { diskView } from "./api/disk-view.js";
export {
  type DurableOptions,
  executeInRun,
  executeJournaled,
  listRuns,
  readRun,
  type ReplayResult,
  replay,
  resume,
  type RunMeta,
  type RunRecord,
  type StateOptions,
  type RunModel,
  type StepModel,
} from "./api/durable.js";
export {
  type ExecuteOptions,
  type ExecuteResult,
  execute,
  type Subscriber,
} from "./driver/index.js";
export { type FactSource, localFacts } from "./facts/index.js";
export type * from "./model/index.js";
/** SPEC §5 names: a plan step and a run event. */
export type { PlanStep as Step, RunEvent as Event } from "./model/index.js";
export {
  compile,
  type CompileOptions,
  type FactLookup,
  type FileSystemView,
} from "./plan/index.js";
