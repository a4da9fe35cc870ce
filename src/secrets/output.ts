/**
 * A step's output channel with the masker in front (the second wall, SPEC §1.7): the
 * live events, the output files and the result all get the masked bytes. A sensitive
 * step's output goes nowhere at all.
 */
import type { CapturedOutput, ProcessOutput } from "../actions/types.js";
import type { Masker } from "./masker.js";
import { StreamMasker } from "./stream-mask.js";

export function maskedOutput<O extends ProcessOutput & { flush(): void }>(
  inner: O,
  masker: Masker,
  sensitive: boolean,
): ProcessOutput & { flush(): void } {
  const streams = { stdout: new StreamMasker(masker), stderr: new StreamMasker(masker) };
  let ended: Promise<CapturedOutput> | null = null;
  return {
    write(stream, chunk) {
      if (sensitive) return undefined;
      const out = streams[stream].push(chunk);
      return out.length === 0 ? undefined : inner.write(stream, out);
    },
    finish() {
      ended ??= (async () => {
        for (const name of ["stdout", "stderr"] as const) {
          const rest = streams[name].end();
          if (rest.length > 0 && !sensitive) await inner.write(name, rest);
        }
        return inner.finish();
      })();
      return ended;
    },
    flush: () => inner.flush(),
  };
}
