/**
 * Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible uses for an
 * INI host line: blanks separate words, quotes group and are removed, a backslash
 * escapes outside single quotes, and `#` outside quotes starts a comment even inside a
 * word (`pass=ab#c` is `pass=ab`: quote such values). Each word keeps its offset.
 */
import { err, ok, type Result } from "../model/index.js";

export interface Word {
  text: string;
  /** Offset of the word's first character in the line. */
  start: number;
}

export function shlexSplit(line: string): Result<Word[], { message: string; offset: number }> {
  const words: Word[] = [];
  let current: Word | null = null;
  let i = 0;
  const word = (): Word => {
    current ??= { text: "", start: i };
    return current;
  };
  while (i < line.length) {
    const ch = line[i] ?? "";
    if (/\s/.test(ch) || ch === "#") {
      if (current !== null) words.push(current);
      current = null;
      if (ch === "#") break;
      i++;
    } else if (ch === "'" || ch === '"') {
      const w = word();
      const open = i++;
      while (i < line.length && line[i] !== ch) {
        // In double quotes a backslash escapes only `"` and `\` (and keeps itself otherwise).
        if (ch === '"' && line[i] === "\\" && /["\\]/.test(line[i + 1] ?? "")) i++;
        w.text += line[i];
        i++;
      }
      if (i >= line.length) return err({ message: "no closing quotation", offset: open });
      i++;
    } else if (ch === "\\") {
      if (i + 1 >= line.length) return err({ message: "no escaped character", offset: i });
      word().text += line[i + 1];
      i += 2;
    } else {
      word().text += ch;
      i++;
    }
  }
  if (current !== null) words.push(current);
  return ok(words);
}
