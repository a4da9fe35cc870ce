/** The driver: executes a Plan (SPEC §3). */
export { type ExecuteOptions, type ExecuteResult, execute } from "./driver.js";
export { EventBus, newRunId, type Subscriber } from "./bus.js";
