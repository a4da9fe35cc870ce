/**
 * Padding filters, as Python's str methods (mooncake's templates use them to align
 * tables): `ljust(width, fill)`, `rjust(width, fill)`, and Jinja's `center(width=80)`.
 * A number or boolean is padded as it prints (`True`, `3`).
 */
import { int, optStr, str } from "./coerce.js";
import { checkCharacters } from "./limits.js";
import { fail } from "./errors.js";
import type { Definition } from "./registry.js";
import { toDisplayString } from "./values.js";

type Side = "left" | "right" | "center";

function pad(name: string, side: Side, defaultWidth?: number): Definition {
  return {
    params: ["width", "fillchar"],
    fn: ({ input, args }) => {
      const what = `filter '${name}'`;
      const s =
        typeof input === "number" || typeof input === "boolean"
          ? toDisplayString(input)
          : str(input, what);
      const width =
        args[0] === undefined && defaultWidth !== undefined ? defaultWidth : int(args[0], what);
      const fill = optStr(args[1], what, " ");
      if ([...fill].length !== 1)
        fail("type", `${what}: the fill character must be exactly one character`);
      const margin = width - [...s].length;
      if (margin <= 0) return s;
      checkCharacters(width);
      // Python's str.center puts the odd space on the left when the width is odd.
      const left =
        side === "right"
          ? margin
          : side === "left"
            ? 0
            : Math.floor(margin / 2) + (margin & width & 1);
      return fill.repeat(left) + s + fill.repeat(margin - left);
    },
  };
}

export const PAD_FILTERS: Record<string, Definition> = {
  ljust: pad("ljust", "left"),
  rjust: pad("rjust", "right"),
  center: pad("center", "center", 80),
};
