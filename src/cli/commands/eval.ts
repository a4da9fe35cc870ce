/**
 * `cairn eval '<expression>'`: evaluates a bare expression (as in `when:`) with the
 * given vars and the local facts, and prints the value as JSON — the way to debug a
 * condition. Errors point at the character of the expression.
 */
import { localFacts } from "../../facts/index.js";
import { lineAndColumn } from "../../plan/util.js";
import {
  evalExpression,
  freeVariablesOfExpression,
  redact,
  reveal,
  stripExpressionBraces,
} from "../../template/index.js";
import { evalSecrets } from "../eval-secrets.js";
import { EXIT, reportDiagnostics } from "../exit.js";
import { collectVars } from "../vars.js";
import { sourceReader } from "../sources.js";

const SOURCE = "<expression>";

export interface EvalFlags {
  var: string[];
  varsFile: string[];
  secretsFile?: string[];
  /** Print secrets' values instead of «secret:name». */
  reveal?: boolean;
}

export async function evalCommand(source: string, flags: EvalFlags): Promise<number> {
  // As `when:` reads it: `{{ x > 1 }}` is the expression `x > 1`.
  const { expr: expression, offset } = stripExpressionBraces(source);
  const vars = collectVars(flags.varsFile, flags.var);
  if (!vars.ok) return reportDiagnostics(vars.error, sourceReader(process.cwd()));
  const secrets = await evalSecrets(expression, flags.secretsFile ?? [], vars.value);
  if (!secrets.ok) return reportDiagnostics(secrets.error, sourceReader(process.cwd()));
  const scope: Record<string, unknown> = secrets.value.scope;
  const names = freeVariablesOfExpression(expression);
  if (names.ok) {
    const facts = localFacts();
    const known = new Set(facts.names());
    for (const n of names.value) {
      if (Object.hasOwn(scope, n)) continue;
      if (known.has(n)) scope[n] = facts.get(n);
      if (n === "facts") scope.facts = Object.fromEntries([...known].map((f) => [f, facts.get(f)]));
    }
  }
  const r = evalExpression(expression, scope, { env: process.env });
  const shown = (text: string) => (flags.reveal === true ? text : secrets.value.mask(text));
  if (!r.ok) {
    const d = {
      severity: "error" as const,
      code: r.error.code,
      message: shown(r.error.message),
      pos: {
        file: SOURCE,
        ...lineAndColumn(source, r.error.offset + offset),
        length: Math.max(1, r.error.length),
      },
      ...(r.error.hint === undefined ? {} : { hint: r.error.hint }),
    };
    return reportDiagnostics([d], sourceReader(process.cwd(), { [SOURCE]: source }));
  }
  const value = flags.reveal === true ? reveal(r.value) : redact(r.value);
  process.stdout.write(`${shown(JSON.stringify(value === undefined ? null : value))}\n`);
  return EXIT.ok;
}
