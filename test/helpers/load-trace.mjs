// Preloaded with `node --import` by the bundle test: registers load-trace-hooks.mjs, which
// appends the URL of every module Node loads to the file named by CAIRN_LOAD_TRACE. An
// honest way to ask which chunks a command loaded, with no timing involved.
import { register } from "node:module";

register("./load-trace-hooks.mjs", import.meta.url);
