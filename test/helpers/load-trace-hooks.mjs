// Module customization hooks (they run on Node's loader thread): each module's URL is
// appended to $CAIRN_LOAD_TRACE as it loads. See load-trace.mjs.
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  const trace = process.env.CAIRN_LOAD_TRACE;
  if (trace) appendFileSync(trace, `${url}\n`);
  return nextLoad(url, context);
}
