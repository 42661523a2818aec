import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createContext, type CliContext, type GlobalOptions, type Io } from "./context.js";
import { UserError } from "../errors.js";
import { printError, printNotice } from "./output.js";
import type { CommandShape, ValueKind } from "./completion.js";
import { COMPLETION_REQUEST } from "./command-names.js";
import { errorJson } from "../views/error.js";
import { restoreModeOf, type RestoreMode } from "../model/restore.js";

const EXAMPLES = `
Examples:
  cloudsync init                      write a commented starter cloudsync.yaml
  cloudsync validate                  check ./cloudsync.yaml
  cloudsync plan                      show what would change
  cloudsync apply                     make it so (asks for "yes"; --auto-approve in scripts)
  cloudsync plan --out p.json && cloudsync apply p.json   apply exactly what was reviewed
  cloudsync status --json
  cloudsync -c /etc/cloudsync.yaml validate --json
  cloudsync credentials verify offsite   does the login work?
  cloudsync ls offsite photos/2024       browse a remote
  cloudsync restore photos --path /mnt/restore --write   add the reversed task
  cloudsync schema > cloudsync.schema.json   for editor completion

Exit codes: 0 success, 1 error (invalid configuration, failed or refused operation),
  2 plan --detailed-exitcode found changes, 130 interrupted.`;

// What completion offers for an argument or an option's value, by the name the command gives it.
const ARGUMENT_KINDS: Record<string, ValueKind> = { task: "task", credential: "credential", channel: "channel", lock: "lock", shell: "shell", planfile: "file", tasks: "file" };
const OPTION_KINDS: Record<string, ValueKind> = { file: "file", dir: "dir", task: "task" };

/** The command tree, for completion. */
function shapeOf(command: Command): CommandShape {
  return {
    name: command.name(),
    options: command.options.map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
      value: o.required || o.optional ? (OPTION_KINDS[/<(\w+)>|\[(\w+)\]/.exec(o.flags)?.slice(1).find(Boolean) ?? ""] ?? "text") : null,
    })),
    args: command.registeredArguments.map((a) => ARGUMENT_KINDS[a.name()] ?? "text"),
    subcommands: command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map(shapeOf),
  };
}

/** copy or sync, in any case, as the file accepts them. */
function restoreMode(value: string): RestoreMode {
  const mode = restoreModeOf(value);
  if (!mode) throw new InvalidArgumentError("Allowed choices are copy, sync.");
  return mode;
}

type Action = (ctx: CliContext, ...args: unknown[]) => number | Promise<number>;

/** --json among the options (before a `--`), known before commander has parsed anything. */
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** commander's "error: …" text, with its suggestion ("(Did you mean …?)") as the hint. */
function usageError(text: string): UserError {
  const [first = "", ...rest] = text.trim().split("\n");
  return new UserError(first.replace(/^error: /, ""), rest.join("\n").trim().replace(/^\((.*)\)$/s, "$1") || "cloudsync --help lists the commands and options.");
}

/** Runs the CLI with the given arguments; returns the exit code. Never throws for a user's mistake. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  let ctx: CliContext | undefined;
  const program = new Command("cloudsync");

  // Each command is loaded when it runs, so start-up pays only for the one used.
  const action =
    (load: () => Promise<Action>, options: { logsEvents?: boolean } = {}) =>
    async (...args: unknown[]) => {
      const context = (ctx = createContext(program.opts<GlobalOptions>(), io));
      // The operations' notices go to stderr; a service writes every event to its own log instead.
      if (!options.logsEvents) context.workspace.events.subscribe((event) => printNotice(context, event));
      const fn = await load();
      exitCode = await fn(context, ...args);
    };

  program
    .description("Scheduled rclone cloud-storage transfers kept as code: validate, plan, apply, watch.")
    .option("--version", "print the version, and the rclone it finds (path and version)")
    .helpOption("-h, --help", "show help")
    .option("-c, --config <file>", "configuration file (default: $CLOUDSYNC_CONFIG or ./cloudsync.yaml)")
    .option("--state-dir <dir>", "state directory (default: $CLOUDSYNC_STATE_DIR, settings.state_dir, or .cloudsync beside the file)")
    .option("--json", "machine-readable output on stdout")
    .addOption(new Option("--no-color", "no colour (also off when not a terminal or NO_COLOR is set)"))
    .option("-q, --quiet", "print only errors")
    .option("-v, --verbose", "print more detail")
    .addHelpText("after", EXAMPLES)
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // A usage mistake with --json is the same one object on stdout as any other failure.
      outputError: (text, write) => (jsonRequested(argv) ? io.stdout.write(`${JSON.stringify(errorJson(usageError(text)), null, 2)}\n`) : write(text)),
    });

  program
    .command("validate")
    .description("check the configuration file: syntax, schema, references, schedules, bandwidth limits, paths, interpolation")
    .action(action(async () => (await import("./commands/validate.js")).validateCommand));
  program
    .command("plan")
    .description("show what apply would change, per credential and task, field by field")
    .option("--detailed-exitcode", "exit 2 when there are changes (0: none, 1: error)")
    .option("--out <file>", "save the plan; cloudsync apply FILE then applies exactly it")
    .action(action(async () => (await import("./commands/plan.js")).planCommand as Action));
  program
    .command("apply [planfile]")
    .description("apply the configuration (or exactly a saved plan) to the state")
    .option("--auto-approve", "do not ask for confirmation")
    .option("--lock-timeout <seconds>", "how long to wait for another apply to finish (default 10)")
    .action(action(async () => (await import("./commands/apply.js")).applyCommand as Action));
  program
    .command("status")
    .description("every applied task: enabled, schedule, state, last run, next run and check")
    .option("--service", "only whether a cloudsync watch serves the state directory: exit 1 when none does (for health checks)")
    .action(action(async () => (await import("./commands/status.js")).statusCommand as Action));
  program
    .command("fleet")
    .description("every host of the fleet (settings.fleet) and its tasks, read from the shared folder: STALE when silent, untrusted when the signature fails")
    .action(action(async () => (await import("./commands/fleet.js")).fleetCommand as Action));
  program
    .command("history [task]")
    .description("past runs and checks, newest first: id, task, kind, state, started, duration, bytes, files, deletes, error")
    .option("--limit <n>", "at most this many")
    .action(action(async () => (await import("./commands/history.js")).historyCommand as Action));
  program
    .command("run <task>")
    .description("run the applied task now, in the foreground")
    .option("--dry-run", "change nothing; report what would be transferred and deleted")
    .option("--ephemeral", "run the task as the file states it, with no applied state (for containers): the record on stdout as JSON, the log on stderr")
    .option("--scheduled", "record the run as scheduled (for the timers and CronJobs export writes)")
    .option("--destination <name>", "only this one of the task's destinations (one snapshot and the scripts still run)")
    .action(action(async () => (await import("./commands/run.js")).runCommand as Action));
  program
    .command("check <task>")
    .description("verify that the remote holds what the task's source holds (rclone check, or cryptcheck when encrypted); never writes")
    .option("--download", "compare content byte for byte by downloading, not by hash and size")
    .option("--ephemeral", "check the task as the file states it, with no applied state (for containers): the record on stdout as JSON, the log on stderr")
    .option("--scheduled", "record the check as scheduled (for the timers and CronJobs export writes)")
    .option("--destination <name>", "only this one of the task's destinations")
    .action(action(async () => (await import("./commands/check.js")).checkCommand as Action));
  program
    .command("abort <task>")
    .description("stop a run of the task in progress (in any process)")
    .action(action(async () => (await import("./commands/abort.js")).abortCommand as Action));
  program
    .command("logs <task>")
    .description("print the log of the task's last run (or of --run ID)")
    .option("--run <id>", "a particular run")
    .option("-f, --follow", "keep printing while the run goes on")
    .option("--destination <name>", "only the lines about this one of the task's destinations")
    .action(action(async () => (await import("./commands/logs.js")).logsCommand as Action));
  program
    .command("restore <task>")
    .description("--path DIR: generate the reversed task (pull for a push) that brings the task's files back; --at TIME --to DIR: write the destination as it was at TIME into DIR")
    .option("--path <dir>", "the reversed task: absolute local directory to restore into; with --at: one file or folder of the destination")
    .addOption(new Option("--transfer-mode <mode>", "copy keeps what is in DIR; sync makes DIR equal to the remote (default: copy)").argParser(restoreMode))
    .option("--name <name>", "the new task's name (default: TASK-restore)")
    .option("--description <text>", "the new task's description")
    .option("--write", "add the task to the configuration file (only lines are added)")
    .option("--force", "allow sync into a non-empty directory (files not on the remote are deleted)")
    .option("--at <time>", "the destination as it was then: RFC 3339, a date or time in settings.timezone, or a duration ago (3d)")
    .option("--to <dir>", "with --at: the new or empty local directory to write into (never the task's own path)")
    .option("--dry-run", "with --at: list what would be written, write nothing")
    .option("--from <destination>", "for a task with destinations: the one to restore from")
    .action(action(async () => (await import("./commands/restore.js")).restoreCommand as Action));
  program
    .command("versions <task> [path]")
    .description("what the task's destination keeps of what runs replaced (versions:): the version folders, or every version of PATH")
    .option("--prune", "remove the version folders older than versions.keep now (runs do this after each success)")
    .option("--from <destination>", "for a task with destinations: whose versions")
    .action(action(async () => (await import("./commands/versions.js")).versionsCommand as Action));
  program
    .command("approve <task>")
    .description("let the next run of a task whose last run was HELD at max_delete delete beyond the limit, once")
    .action(action(async () => (await import("./commands/approve.js")).approveCommand as Action));
  const credentials = program.command("credentials").description("credentials verify NAME: does the credential work?");
  credentials
    .command("verify <credential>")
    .description("connect with the credential (from the file, else as applied) and say whether it works, and why not")
    .action(action(async () => (await import("./commands/remotes.js")).verifyCommand as Action));
  const buckets = program.command("buckets").description("list or create buckets of a bucket-based credential (s3, b2, gcs, azureblob, swift)");
  buckets
    .command("list <credential>")
    .description("list the credential's buckets")
    .action(action(async () => (await import("./commands/remotes.js")).bucketsListCommand as Action));
  buckets
    .command("create <credential> <bucket>")
    .description("create a bucket (its name is checked against the provider's rules first)")
    .action(action(async () => (await import("./commands/remotes.js")).bucketsCreateCommand as Action));
  program
    .command("ls [credential] [path]")
    .description("list a remote directory: ls CREDENTIAL [PATH], or ls --task TASK [PATH] (decrypted names)")
    .option("--task <task>", "list inside the task's bucket and folder, through its encryption")
    .option("--destination <name>", "with --task, for a task with destinations: which one")
    .action(action(async () => (await import("./commands/remotes.js")).lsCommand as Action));
  const notify = program.command("notify").description("notify test CHANNEL: send a test notification");
  notify
    .command("test <channel>")
    .description("send a test event through a notification channel (from the file, else as applied) and say whether it was delivered")
    .option("--task <task>", "the task to test a per-task channel ({task} in its URL) for")
    .action(action(async () => (await import("./commands/notify.js")).notifyTestCommand as Action));
  program
    .command("watch")
    .description("the service: apply the file on start and on every change, run the tasks on schedule, until SIGTERM/SIGINT")
    .option("--web <addr>", "serve the dashboard on ADDR (host:port), whatever settings.web.listen says")
    .action(action(async () => (await import("./commands/watch.js")).watchCommand as Action, { logsEvents: true }));
  program
    .command("dashboard")
    .description("print the link that opens the dashboard the service serves (it logs in with the token the service generated)")
    .action(action(async () => (await import("./commands/dashboard.js")).dashboardCommand));
  program
    .command("unlock <lock>")
    .description("remove a stale lock (state, watch or a task's name) after showing its holder; refuses one whose holder runs on this machine")
    .action(action(async () => (await import("./commands/unlock.js")).unlockCommand as Action));
  const exports = program.command("export").description("export systemd|kubernetes: hand the schedule to systemd timers or Kubernetes CronJobs");
  exports
    .command("systemd")
    .description("write a service and a timer per enabled scheduled task (and scheduled check) of the applied configuration")
    .option("--out <dir>", "write the units into this directory (default: print them)")
    .option("--user", "units for systemctl --user (a user's own manager) instead of the system's")
    .option("--env-file <file>", "the KEY=value file the units read ${VAR} secrets from (default: /etc/cloudsync/secrets.env, or %h/.config/cloudsync/secrets.env with --user; none with --credentials)")
    .option("--no-env-file", "the units read no secrets file")
    .addOption(new Option("--credentials <kind>", "hand the file's ${credential:NAME}s to the units as systemd credentials: plain (LoadCredential=) or encrypted (LoadCredentialEncrypted=)").choices(["plain", "encrypted"]))
    .option("--credentials-dir <dir>", "where the credential files are (default: /etc/credstore, or /etc/credstore.encrypted; under %h/.config with --user)")
    .action(action(async () => (await import("./commands/export.js")).exportSystemdCommand as Action));
  exports
    .command("kubernetes")
    .description("write a ConfigMap with the file, Secrets for its ${VAR}s and ${file:…}s, and a CronJob per scheduled task (and check) running it with --ephemeral")
    .option("--out <dir>", "write the manifests into this directory (default: print them as one stream for kubectl apply -f -)")
    .option("--volume <task=claim>", "take the task's path from this PersistentVolumeClaim instead of the node's directory (repeatable)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--image <image>", "the container image (default: cloudsync:VERSION, built from the Dockerfile)")
    .option("--with-secrets", "put the secrets' values (from this environment and the files) into the Secrets; otherwise they are empty, to fill in")
    .action(action(async () => (await import("./commands/export.js")).exportKubernetesCommand as Action));
  const imports = program.command("import").description("import truenas FILE: bring TrueNAS cloud sync tasks over as a cloudsync.yaml");
  imports
    .command("truenas <tasks>")
    .description("convert the output of `midclt call cloudsync.query` (and cloudsync.credentials.query) into a cloudsync.yaml")
    .option("--credentials <file>", "the output of `midclt call cloudsync.credentials.query`")
    .option("--out <file>", "write the configuration here (default: stdout); never over an existing file")
    .option("--env-out <file>", "write the secrets' values here (mode 0600)")
    .addOption(new Option("--env-format <format>", "the env file's format: shell (NAME='value', for set -a; . FILE) or docker (NAME=value, for docker --env-file and kubectl --from-env-file)").choices(["shell", "docker"]).default("shell"))
    .option("--merge-destinations", "pushes of the same path on the same schedule become one task with a destination each (one snapshot, one run of the scripts)")
    .action(action(async () => (await import("./commands/import.js")).importTrueNasCommand as Action));
  program
    .command("completion <shell>")
    .description("print a shell completion script: bash, zsh or fish")
    .action(
      action(async () => async (ctx: CliContext, shell: unknown) => {
        const { completionScript, SHELLS } = await import("./completion.js");
        if (!SHELLS.includes(shell as never)) throw new UserError(`no completion for ${String(shell)}: give bash, zsh or fish`);
        ctx.stdout.write(completionScript(shell as (typeof SHELLS)[number]));
        return 0;
      }),
    );
  program
    .command("schema")
    .description("print the JSON Schema of the configuration file, for the rclone the file runs (its backends and options)")
    .option("--write", "write it as cloudsync.schema.json beside the configuration file, for editors")
    .action(action(async () => (await import("./commands/schema.js")).schemaCommand as Action));
  program
    .command("init")
    .description("write a commented starter configuration (never over an existing file)")
    .action(action(async () => (await import("./commands/init.js")).initCommand));

  // What the completion scripts ask at each TAB: the words of the line, read as the program reads them.
  if (argv[0] === COMPLETION_REQUEST) {
    const line = argv.slice(1);
    const { complete, completionOutput, placesOnLine } = await import("./completion.js");
    const context = createContext(placesOnLine(line.slice(0, -1)), io);
    const { configNames } = await import("../app/names.js");
    const root = shapeOf(program);
    root.options.push({ flags: ["-h", "--help"], value: null });
    io.stdout.write(completionOutput(complete(root, line, await configNames(context.workspace))));
    return 0;
  }

  // --version (without a command): cloudsync's, and the rclone it would run.
  if (argv.includes("--version") && program.parseOptions([...argv]).operands.length === 0) {
    const context = createContext(program.opts<GlobalOptions>(), io);
    const { versions } = await import("../app/version.js");
    const found = await versions(context.workspace, io.cwd);
    if (context.json) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else io.stdout.write(`cloudsync ${found.cloudsync}\nrclone ${found.rclone.version ?? (found.rclone.path ? "(its version could not be read)" : "not found")}${found.rclone.path ? ` (${found.rclone.path})` : ` (looked for ${found.rclone.command}; install it: apt-get install rclone, or see https://rclone.org/install/)`}\n`);
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof UserError) {
      printError(ctx, error);
      return error.exitCode;
    }
    const internal = new UserError(
      `internal error: ${error instanceof Error ? error.message : String(error)}`,
      ctx?.verbose && error instanceof Error ? error.stack : "This is a bug in cloudsync; please report it (run with --verbose for details).",
    );
    printError(ctx, internal);
    return 1;
  }
}
