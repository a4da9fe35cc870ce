/**
 * Splits a command string into argv the way a POSIX shell would, without expanding
 * anything: whitespace separates words, '...' is literal, "..." keeps its content
 * with backslash escaping only \ " $ ` and newline, and a backslash outside quotes
 * escapes the next character. For `command: "cmd arg"`, which runs no shell.
 */
import { err, ok, type Result } from "../model/result.js";

export function splitWords(src: string): Result<string[], string> {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end === -1) return err(`unterminated single quote at offset ${i}`);
      word += src.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const r = readDoubleQuoted(src, i + 1);
      if (r === null) return err(`unterminated double quote at offset ${i}`);
      word += r.text;
      inWord = true;
      i = r.end + 1;
    } else if (c === "\\") {
      if (i + 1 >= src.length) return err("trailing backslash");
      // Backslash-newline is a line continuation, as in sh.
      if (src[i + 1] !== "\n") {
        word += src[i + 1];
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return ok(words);
}

function readDoubleQuoted(src: string, start: number): { text: string; end: number } | null {
  let text = "";
  for (let i = start; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '"') return { text, end: i };
    const next = src[i + 1];
    if (c === "\\" && next !== undefined && '\\"$`\n'.includes(next)) {
      if (next !== "\n") text += next;
      i++;
    } else {
      text += c;
    }
  }
  return null;
}
