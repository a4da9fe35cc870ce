/** `cairn facts [--json]`: every fact of the local target. */
import { localFacts } from "../../facts/index.js";
import { EXIT } from "../exit.js";

export function factsCommand(flags: { json?: boolean }): number {
  const source = localFacts();
  const facts: Record<string, unknown> = {};
  for (const name of [...source.names()].sort()) facts[name] = source.get(name);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
  } else {
    const width = Math.max(...Object.keys(facts).map((k) => k.length));
    for (const [k, v] of Object.entries(facts)) {
      process.stdout.write(
        `${k.padEnd(width)}  ${typeof v === "string" ? v : JSON.stringify(v)}\n`,
      );
    }
  }
  return EXIT.ok;
}
