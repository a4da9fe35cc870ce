/**
 * A user-facing error or warning with its place in the sources. Every user mistake
 * (bad YAML, unknown key, undefined variable, include cycle, stale plan ...) becomes a
 * Diagnostic; the printer in src/report/diagnostics.ts turns it into
 * `file:line:col: error: message`, the source line, a caret and a hint.
 */
export interface SourcePos {
  /** Path relative to the root playbook's directory (or as given on the command line). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Number of characters to underline (default 1). */
  length?: number;
}

export interface Diagnostic {
  severity: "error" | "warning";
  /** Stable machine-readable code, e.g. `unknown-key`, `undefined-variable`, `include-cycle`. */
  code: string;
  message: string;
  /** Where; absent for errors that have no place (e.g. a missing file named on the CLI). */
  pos?: SourcePos;
  /** One line of advice, e.g. "did you mean 'command'?". */
  hint?: string;
  /** The include chain that led to `pos`, outermost first. */
  chain?: SourcePos[];
}

/** Thrown only to carry user diagnostics up through layers that cannot return a Result. */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("; "));
    this.name = "UserError";
    this.diagnostics = diagnostics;
  }
}
