/** Facts about a target (SPEC §1.4), gathered lazily. */
export * from "./local.js";
