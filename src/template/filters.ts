/** The filter table: every name `x | name(...)` can reach, and nothing else. */
import { COLLECTION_FILTERS } from "./filters-collection.js";
import { DATA_FILTERS } from "./filters-data.js";
import { PAD_FILTERS } from "./filters-pad.js";
import { TEXT_FILTERS } from "./filters-text.js";
import { table } from "./registry.js";

export const FILTERS = table({
  ...DATA_FILTERS,
  ...TEXT_FILTERS,
  ...PAD_FILTERS,
  ...COLLECTION_FILTERS,
});
