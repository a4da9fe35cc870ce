/** Short, human rewrites of the `yaml` library's parse error messages, by error code. */
import type { ErrorCode } from "yaml";

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  TAB_AS_INDENT: "tabs are not allowed for indentation; use spaces",
  MULTIPLE_DOCS: "a playbook file holds one YAML document; found a second one (---)",
  BAD_INDENT: "bad indentation",
  BLOCK_AS_IMPLICIT_KEY: "unexpected mapping here (a missing space after ':' or a missing quote?)",
  MULTILINE_IMPLICIT_KEY: "a key must be on one line (missing ':' or bad indentation?)",
  BAD_DQ_ESCAPE: "invalid escape sequence in a double-quoted string",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
  MULTIPLE_ANCHORS: "a node can have only one anchor",
  MULTIPLE_TAGS: "a node can have only one tag",
  ALIAS_PROPS: "an alias cannot have an anchor or a tag",
  BAD_ALIAS: "bad alias",
  // The yaml library reports its own stack overflow under this code, not only aliases.
  RESOURCE_EXHAUSTION: "YAML too deeply nested or too large to load",
};

/** `Missing closing "quote` → `missing closing "`: lower-case first word, no trailing period. */
function tidy(message: string): string {
  const first = message.split(/\n|(?<=\.) /)[0] ?? message;
  const trimmed = first.replace(/\.$/, "").replace(/ at line \d+, column \d+.*$/, "");
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

export function yamlMessage(code: ErrorCode, original: string): string {
  if (code === "MISSING_CHAR" && /quote/.test(original)) return "unterminated quoted string";
  if (code === "UNEXPECTED_TOKEN") return `YAML syntax error: ${tidy(original)}`;
  return MESSAGES[code] ?? tidy(original);
}
