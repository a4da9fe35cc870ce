/** `loadInventory`: the `-i` files read from disk (the only I/O of src/inventory). */
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "../model/index.js";
import { parseInventory } from "./parse.js";
import type { Inventory, InventoryFs } from "./types.js";

export const diskFs: InventoryFs = {
  readFile(path) {
    try {
      return statSync(path).isFile() ? readFileSync(path, "utf8") : null;
    } catch {
      return null;
    }
  },
  listDir(path) {
    try {
      return readdirSync(path, { withFileTypes: true }).map((e) => ({
        name: e.name,
        dir: e.isDirectory() || (e.isSymbolicLink() && statSync(`${path}/${e.name}`).isDirectory()),
      }));
    } catch {
      return null;
    }
  },
};

export function loadInventory(paths: string[]): {
  inventory: Inventory | null;
  diagnostics: Diagnostic[];
} {
  return parseInventory(paths, diskFs);
}
