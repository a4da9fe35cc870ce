/**
 * The `cairn` command line (SPEC §4): commander wiring and exit codes only. Each
 * command's module is imported when the command runs, so that a command initializes
 * only the code it uses (`cairn plan` never the engine). entry.ts, the file `cairn`
 * starts, loads this bundle and calls `main()`.
 */
import type { EvalFlags } from "./commands/eval.js";
import { Command, CommanderError, Option } from "commander";
import type { PlanCommandFlags } from "./commands/plan.js";
import type { RunFlags } from "./run-settings.js";
import type { StateDirFlags } from "./state-dir.js";
import type { PlanFlags } from "./plan-input.js";
import { VERSION } from "../driver/version.js";
import { EXIT } from "./exit.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--vars-file` and `--var`, shared by the commands that evaluate templates. */
function withVarFlags(cmd: Command): Command {
  return cmd
    .option(
      "--vars-file <file>",
      "YAML or JSON file of variables (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--var <key=value>",
      "set a variable; the value is read as YAML (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--secrets-file <file>",
      "YAML file of named secret sources, as the playbook's secrets: (repeatable)",
      collect,
      [] as string[],
    );
}

function withPlanFlags(cmd: Command): Command {
  return withVarFlags(cmd)
    .option("--tags <tags>", "only steps with one of these tags (comma-separated)")
    .option("--skip-tags <tags>", "skip steps with one of these tags (comma-separated)")
    .option(
      "-i, --inventory <file>",
      "inventory file, Ansible YAML or INI (repeatable); the play's hosts: pattern selects from it",
      collect,
      [] as string[],
    )
    .option("-l, --limit <pattern>", "only these hosts (an Ansible pattern; @file reads a list)")
    .option(...PRESETS_DIR);
}

function withStateDir(cmd: Command): Command {
  return cmd.option(
    "--state-dir <dir>",
    "where runs are kept (default: $CAIRN_STATE_DIR, else .cairn in the current directory)",
  );
}

/** The flags shared by `run`, `apply` and `resume`. */
function withRunFlags(cmd: Command): Command {
  return withStateDir(cmd)
    .option("--diff", "show file content diffs")
    .option("-j, --jobs <n>", "maximum steps running at once", "10")
    .option(
      "-f, --forks <n>",
      "fleet runs: maximum hosts with a step running at once (default: --jobs)",
    )
    .option("--keep-going", "after a failure, run everything not blocked by it")
    .option("--compensate", "on failure, run the compensation steps of completed steps")
    .option("--json", "NDJSON events on stdout (logs go to stderr)")
    .option(
      "--output-limit <size>",
      "output a result keeps per stream, head and tail (256KiB, 1MiB …); steps may set output_limit",
    )
    .option(
      "--durability <mode>",
      "group: the journal is synced in the background (and at the end); strict: before every step",
      "group",
    )
    .option("--report <file>", "write the run's HTML report (timeline, graph, steps) when it ends")
    .option(
      "--otel",
      "export the run as an OpenTelemetry trace over OTLP/HTTP (also on when OTEL_EXPORTER_OTLP_ENDPOINT is set)",
    );
}

/** `--presets-dir`: searched for presets after ./presets beside the playbook (SPEC §1.8). */
const PRESETS_DIR = [
  "--presets-dir <dir>",
  "directory of presets, searched before CAIRN_PRESETS_PATH and ~/.cairn/presets (repeatable)",
  collect,
  [] as string[],
] as const;

function program(): Command {
  const cli = new Command()
    .name("cairn")
    .description("Plan-then-execute automation: see exactly what will run, then run it fast.")
    .version(VERSION, "-V, --version")
    .exitOverride()
    .showSuggestionAfterError(true);

  withPlanFlags(
    cli
      .command("plan")
      .description("compile a playbook into a plan and print it")
      .argument("<playbook>"),
  )
    .option("-o, --output <file>", "write the plan as JSON to a file (for `cairn apply`)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "yaml"])
        .default("text"),
    )
    .action(async (playbook: string, flags: PlanCommandFlags) => {
      const { planCommand } = await import("./commands/plan.js");
      process.exitCode = await planCommand(playbook, flags);
    });

  cli
    .command("validate")
    .description("check playbooks without running anything")
    .argument("<playbooks...>")
    .option(...PRESETS_DIR)
    .action(async (playbooks: string[], flags: { presetsDir: string[] }) => {
      const { validateCommand } = await import("./commands/validate.js");
      process.exitCode = await validateCommand(playbooks, flags.presetsDir);
    });

  withRunFlags(
    withPlanFlags(
      cli.command("run").description("plan and execute a playbook").argument("<playbook>"),
    ),
  )
    .option("--dry-run", "check only: show what would change, run no side effect")
    .option("--run-id <id>", "name the run; an existing run of that id is resumed")
    .option("--no-journal", "do not record the run (it cannot be resumed, shown or replayed)")
    .action(async (playbook: string, flags: RunFlags & PlanFlags) => {
      const { runCommand } = await import("./commands/run.js");
      process.exitCode = await runCommand(playbook, flags);
    });

  withRunFlags(
    cli
      .command("apply")
      .description("execute exactly a saved plan (cairn plan -o), refusing a stale one")
      .argument("<plan.json>"),
  )
    .option("--dry-run", "check only: show what would change, run no side effect")
    .option("--run-id <id>", "name the run")
    .option("--root-dir <dir>", "directory of the plan's root playbook")
    .action(async (planFile: string, flags: RunFlags & { rootDir?: string }) => {
      const { applyCommand } = await import("./commands/apply.js");
      process.exitCode = await applyCommand(planFile, flags);
    });

  withRunFlags(
    cli
      .command("resume")
      .description("continue a crashed, failed or interrupted run from its journal")
      .argument("[run_id]"),
  )
    .option("--last", "the newest run")
    .action(async (id: string | undefined, flags: RunFlags & { last?: boolean }) => {
      const { resumeCommand } = await import("./commands/resume.js");
      process.exitCode = await resumeCommand(id, flags);
    });

  withStateDir(
    cli
      .command("replay")
      .description("check that the engine reproduces a run's journal, without side effects")
      .argument("[run_id]"),
  )
    .option("--last", "the newest run")
    .action(async (id: string | undefined, flags: StateDirFlags & { last?: boolean }) => {
      const { replayCommand } = await import("./commands/replay.js");
      process.exitCode = replayCommand(id, flags);
    });

  const runs = withStateDir(
    cli.command("runs").description("the run history: id, outcome, start, duration, playbook"),
  )
    .option("--json", "as JSON")
    .option("--limit <n>", "at most N runs, newest first")
    .action(async (flags: StateDirFlags & { json?: boolean; limit?: string }) => {
      const { runsCommand } = await import("./commands/runs.js");
      process.exitCode = runsCommand(flags);
    });
  withStateDir(runs.command("prune").description("delete old runs (never a live one)"))
    .option("--keep <n>", "keep the newest N runs")
    .option("--older-than <duration>", "delete runs started longer ago (e.g. 30d)")
    .action(async (flags: StateDirFlags & { keep?: string; olderThan?: string }) => {
      const { pruneCommand } = await import("./commands/runs.js");
      process.exitCode = pruneCommand(flags);
    });

  withStateDir(
    cli
      .command("show")
      .description("a run's summary and per-step status, attempts, durations and re-runs")
      .argument("[run_id]"),
  )
    .option("--last", "the newest run")
    .option("--json", "as JSON (same as --format json)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "html"])
        .default("text"),
    )
    .action(async (id: string | undefined, flags: import("./commands/show.js").ShowFlags) => {
      const { showCommand } = await import("./commands/show.js");
      process.exitCode = await showCommand(id, flags);
    });

  withStateDir(
    cli
      .command("report")
      .description("a run as one self-contained HTML page: timeline, graph, steps, output")
      .argument("[run_id]"),
  )
    .option("--last", "the newest run")
    .option(
      "-o, --output <file>",
      "where to write it (default cairn-report-<run_id>.html; - for stdout)",
    )
    .action(
      async (
        id: string | undefined,
        flags: StateDirFlags & { last?: boolean; output?: string },
      ) => {
        const { reportCommand } = await import("./commands/report.js");
        process.exitCode = reportCommand(id, flags);
      },
    );

  withPlanFlags(
    cli
      .command("graph")
      .description("print the plan's step graph (Graphviz dot or Mermaid)")
      .argument("<playbook|plan.json>"),
  )
    .addOption(
      new Option("--format <format>", "graph format").choices(["dot", "mermaid"]).default("dot"),
    )
    .action(async (input: string, flags: PlanFlags & { format: string }) => {
      const { graphCommand } = await import("./commands/graph.js");
      process.exitCode = await graphCommand(input, flags);
    });

  withPlanFlags(
    cli
      .command("diff")
      .description("show what changed between a saved plan and a newer plan or playbook")
      .argument("<old-plan.json>")
      .argument("<new-plan.json|playbook>"),
  ).action(async (before: string, after: string, flags: PlanFlags) => {
    const { diffCommand } = await import("./commands/diff.js");
    process.exitCode = await diffCommand(before, after, flags);
  });

  cli
    .command("presets")
    .description("list the presets found, or show one preset's parameters")
    .argument("[command]", "list (default) or show")
    .argument("[name]", "the preset to show")
    .option(...PRESETS_DIR)
    .action(
      async (
        action: string | undefined,
        name: string | undefined,
        flags: { presetsDir: string[] },
      ) => {
        const { presetsCommand } = await import("./commands/presets.js");
        process.exitCode = await presetsCommand(action, name, flags);
      },
    );

  cli
    .command("schema")
    .description("print the JSON Schema of the playbook language (for editors)")
    .action(async () => {
      const { schemaCommand } = await import("./commands/schema.js");
      process.exitCode = schemaCommand();
    });

  cli
    .command("inventory")
    .description("show what cairn understood of an inventory (Ansible's YAML or INI)")
    .option(
      "-i, --inventory <file>",
      "inventory file or directory (repeatable)",
      collect,
      [] as string[],
    )
    .option("--graph [group]", "draw the groups and their hosts (the default)")
    .option("--host <host>", "a host's merged variables and its connection")
    .option("--list", "the whole inventory as ansible-inventory --list JSON")
    .option("--limit <pattern>", "only the hosts matching an Ansible host pattern")
    .option("--json", "--host as JSON")
    .action(async (flags: import("./commands/inventory.js").InventoryFlags) => {
      const { inventoryCommand } = await import("./commands/inventory.js");
      process.exitCode = await inventoryCommand(flags);
    });

  cli
    .command("facts")
    .description("print the facts of this machine")
    .option("--json", "as JSON")
    .action(async (flags: { json?: boolean }) => {
      const { factsCommand } = await import("./commands/facts.js");
      process.exitCode = factsCommand(flags);
    });

  withVarFlags(
    cli
      .command("eval")
      .description("evaluate an expression (as in `when:`) and print its value as JSON")
      .argument("<expression>")
      // An expression may start with '-' (`-2 ** 2`): not an option of ours.
      .allowUnknownOption(),
  )
    .option("--reveal", "print a secret's value instead of «secret:name»")
    .action(async (expression: string, flags: EvalFlags) => {
      const { evalCommand } = await import("./commands/eval.js");
      process.exitCode = await evalCommand(expression, flags);
    });
  return cli;
}

/** Parses the command line and runs the command (called by entry.ts, the bundle's loader). */
export async function main(): Promise<void> {
  // `cairn schema | head -1`: a reader that goes away is not an error of ours.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
    throw e;
  });
  try {
    await program().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is a usage error.
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.invalid;
      return;
    }
    process.stderr.write(
      `cairn: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.stderr.write("This is a bug in cairn; please report it with the command you ran.\n");
    process.exitCode = EXIT.internal;
  }
}
