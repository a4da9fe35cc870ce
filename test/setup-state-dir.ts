/**
 * Runs made by the tests (and the CLIs they spawn, which inherit the environment)
 * keep their journals in a temporary state directory, not in the repository.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.CAIRN_STATE_DIR ??= mkdtempSync(join(tmpdir(), "cairn-test-state-"));
