/** Facts about a target (SPEC §1.4), gathered lazily. */
export * from "./local.js";
export { gatherFactsVia, remoteFactNames } from "./remote.js";
