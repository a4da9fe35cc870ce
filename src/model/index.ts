/** Plain serializable types shared by every layer. Imports nothing. */
export * from "./diagnostic.js";
export * from "./engine.js";
export * from "./events.js";
export * from "./plan.js";
export * from "./result.js";
