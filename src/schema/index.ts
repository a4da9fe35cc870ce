/** src/schema: the playbook language (zod), its validation and its JSON Schema. Pure. */
export type { ActionKey, ActionName } from "./actions.js";
export { parseDuration } from "./duration.js";
export { numericMode } from "./mode.js";
export { parseSize } from "./size.js";
export { didYouMean } from "./suggest.js";
export { playbookJsonSchema } from "./json-schema.js";
export type {
  ActionArgsMap,
  ActionCall,
  ActionStep,
  BlockStep,
  ExecFields,
  Expr,
  IncludeStep,
  IncludeVarsStep,
  JsPath,
  Loop,
  ParallelStep,
  PresetStep,
  Playbook,
  StepBase,
  StepNode,
  TaskFile,
  VarsStep,
} from "./types.js";
export { validatePlaybook, validateTaskFile, validateTaskFileParts } from "./validate.js";
export {
  PARAMETER_TYPES,
  type ParameterType,
  type PresetFile,
  type PresetParameter,
  validatePresetFile,
} from "./preset-file.js";
export { normalizeSource, secretName, secretSource, secretsMap } from "./secrets.js";
export { safeParse } from "./parse.js";
