// `restore`: the reversed task, written as the user's own entries are, and
// added to the file so that a diff shows additions only.
import { Document, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { asLiteral } from "./interpolate.js";
import { ENTRY_NAME, type Direction, type TaskSpec, type TransferMode } from "../model/config.js";

export interface RestoreRequest {
  /** The task to reverse, as named in the file. */
  task: string;
  /** Its direction, resolved (the file may spell it PUSH or through ${…}). */
  direction: Direction;
  path: string;
  transferMode: Extract<TransferMode, "copy" | "sync">;
  name?: string;
  description?: string;
  /** For a task with destinations: the one the files come back from. */
  from?: string;
}

export type RestoreResult =
  | { ok: true; name: string; /** The entry as it goes under `tasks:`. */ entry: string; /** The whole file with the entry added. */ text: string }
  | { ok: false; problem: string; hint?: string };

/** What the reversed task takes over from the original, as written (a `${VAR}` stays a reference). */
const COPIED = ["credential", "bucket", "folder", "transfers", "fast_list", "encryption"] as const;

export const restoreName = (task: string, from?: string) => `${task}${from === undefined ? "" : `-${from}`}-restore`;

const reversed = (direction: Direction): Direction => (direction === "push" ? "pull" : "push");

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const columnOf = (text: string, offset: number) => offset - lineStart(text, offset);

/**
 * The file's text with the restore task added after the last task: nothing
 * that is there changes, not even a blank line or comment.
 */
export function addRestoreTask(text: string, request: RestoreRequest): RestoreResult {
  const document = parseDocument(text);
  if (document.errors.length > 0) return { ok: false, problem: "the file cannot be parsed" };
  const tasksPair = isMap(document.contents) ? document.contents.items.find((p) => isScalar(p.key) && p.key.value === "tasks") : undefined;
  const tasks = tasksPair?.value;
  if (!isMap(tasks) || tasks.items.length === 0) return { ok: false, problem: `there is no task ${request.task} in the file` };
  if (tasks.flow) return { ok: false, problem: "tasks: is written in flow style ({ … }); --write adds to block style only", hint: "Run without --write and paste the entry in." };
  const source = tasks.get(request.task, true);
  if (!isMap(source)) return { ok: false, problem: `there is no task ${request.task} in the file` };

  // Where the files are: the task's own credential, bucket, folder and encryption, or a destination's.
  const place = request.from === undefined ? source : source.getIn(["destinations", request.from], true);
  if (!isMap(place)) return { ok: false, problem: `task ${request.task} has no destination ${request.from} in the file` };

  const name = request.name ?? restoreName(request.task, request.from);
  if (!ENTRY_NAME.test(name)) return { ok: false, problem: `"${name}" cannot be a task name: lower-case letters, digits, - and _, starting with a letter or digit` };
  if (tasks.has(name)) return { ok: false, problem: `a task named ${name} already exists`, hint: "Choose another with --name." };

  // Indent as the file does: the task keys' column, and the step from a task key to its fields.
  const first = tasks.items[0] as Pair<Node, Node>;
  const keyColumn = columnOf(text, first.key.range![0]);
  const sourceKey = (tasks.items.find((p) => isScalar(p.key) && p.key.value === request.task) as Pair<Node, Node>).key;
  const firstField = source.items[0] as Pair<Node, Node> | undefined;
  const step = !source.flow && firstField ? Math.max(1, columnOf(text, firstField.key.range![0]) - columnOf(text, sourceKey.range![0])) : 2;

  const entryDocument = new Document({});
  // What the user gave is meant as it is: the dry run restores to exactly that path.
  const fields = entryDocument.createNode({
    description: asLiteral(request.description ?? `Restore of ${request.task}`),
    direction: reversed(request.direction),
    transfer_mode: request.transferMode,
    path: asLiteral(request.path),
  }) as YAMLMap;
  for (const key of COPIED) {
    const value = (place.get(key, true) ?? source.get(key, true)) as Node | undefined;
    if (value !== undefined) fields.set(key, value.clone());
  }
  fields.set("enabled", false);
  const inner = entryDocument.createNode({}) as YAMLMap;
  inner.set(name, fields);
  entryDocument.contents = inner;
  const body = entryDocument.toString({ indent: step, lineWidth: 0 });
  const indent = " ".repeat(keyColumn);
  const lines = [`# The reverse of ${request.task}, made by cloudsync restore; it runs only when asked: cloudsync run ${name}`, ...body.trimEnd().split("\n")];
  const entry = lines.map((l) => (l === "" ? l : indent + l)).join("\n") + "\n";

  // After the end of the last task's last line (a trailing comment on it included).
  const last = tasks.items.at(-1) as Pair<Node, Node | null>;
  const end = (last.value ?? last.key).range![1];
  let at = text[end - 1] === "\n" ? end : text.indexOf("\n", end);
  let prefix = "";
  if (at === -1) {
    at = text.length;
    prefix = "\n";
  } else if (text[end - 1] !== "\n") at += 1;
  // Separate it as the file separates its tasks.
  const lineAbove = (offset: number) => text.slice(lineStart(text, offset - 1), offset);
  let lastEntryLine = lineStart(text, last.key.range![0]);
  while (lastEntryLine > 0 && /^\s*#/.test(lineAbove(lastEntryLine))) lastEntryLine = lineStart(text, lastEntryLine - 1);
  const separated = lastEntryLine > 0 && lineAbove(lastEntryLine).trim() === "";
  // In the file's own line endings.
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const added = `${prefix}${separated ? "\n" : ""}${entry}`.replace(/\n/g, eol);
  return { ok: true, name, entry, text: text.slice(0, at) + added + text.slice(at) };
}

/** The resolved restore task, for a dry run before it exists in the file. */
export function reversedSpec(spec: TaskSpec, path: string, transferMode: RestoreRequest["transferMode"]): TaskSpec {
  return {
    ...spec,
    direction: reversed(spec.direction),
    transfer_mode: transferMode,
    path,
    enabled: false,
    schedule: null,
    snapshot: false,
    bwlimit: null,
    exclude: [],
    include: [],
    pre_script: "",
    post_script: "",
    rclone_args: [],
    follow_symlinks: false,
    create_empty_src_dirs: false,
  };
}
