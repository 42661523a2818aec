// What a rule is given and how it reports. A rule looks at the model built
// from the file (and, where it matters whether the user wrote a field, at
// the field as written) and reports what the schema cannot express.
import type { BackendCatalog, FoundBackend } from "../../model/backends.js";
import type { CredentialSpec, DesiredConfig, TaskSpec } from "../../model/config.js";
import type * as File from "../generated/config-types.js";
import { destinationsOf } from "../../model/destinations.js";
import type { DestinationReadings, TaskReadings } from "../model-builder.js";
import { fields, type Fields, type Path, type Unchecked } from "../unchecked.js";

export interface RuleInput {
  /** The file's data as written (values not yet trusted). */
  written: Unchecked<File.CloudsyncConfiguration> & Fields;
  config: DesiredConfig;
  readings: Record<string, TaskReadings>;
  backends: BackendCatalog;
  /** Values that came in through ${…}, by JSON pointer: not written out in the file. */
  referenced: ReadonlyMap<string, unknown>;
}

export interface Reporter {
  /** `offset`: where in a string value the problem is. */
  error(message: string, path: Path, target?: "key" | "value", offset?: number): void;
  warn(message: string, path: Path, target?: "key" | "value"): void;
}

export type Rule = (input: RuleInput, report: Reporter) => void;

/** One task, as every task rule sees it; or one of its destinations, as every destination rule does. */
export interface TaskInput {
  name: string;
  /** The task, or the task as it runs for this destination. */
  spec: TaskSpec;
  /** The fields as written at this level: the task's, or the destination's own. */
  written: Unchecked<File.Task> & Fields;
  /** What reading this level's values found (a destination's: only its own). */
  readings: DestinationReadings & Partial<Pick<TaskReadings, "schedule">>;
  /** The destination's name; null for the task itself, or its implicit only destination. */
  destination: string | null;
  /** The task's own level where it has destinations: its settings are their defaults, it writes nowhere itself. */
  placeless: boolean;
  /** The task's credential and its backend, when both exist. */
  credential: CredentialSpec | undefined;
  backend: FoundBackend | undefined;
  config: DesiredConfig;
  /** The path of a field at this level (of the task, or of the destination). */
  at: (...rest: Path) => Path;
}

export type TaskRule = (task: TaskInput, report: Reporter) => void;

/** Task rules as one rule: each task is looked at once, by each of them in turn. */
export function perTask(...rules: TaskRule[]): Rule {
  return (input, report) => {
    const written = fields(input.written.tasks);
    for (const [name, spec] of Object.entries(input.config.tasks)) {
      const task: TaskInput = {
        name,
        spec,
        written: fields<File.Task>(written[name]),
        readings: input.readings[name]!,
        destination: null,
        placeless: false,
        ...place(input, spec.credential),
        config: input.config,
        at: (...rest) => ["tasks", name, ...rest],
      };
      for (const rule of rules) rule(task, report);
    }
  };
}

const place = (input: RuleInput, credentialName: string) => {
  const credential = input.config.credentials[credentialName];
  return { credential, backend: credential ? input.backends.find(credential.type) : undefined };
};

/**
 * Rules of where a task writes, and of the settings a destination may set for itself, as one rule:
 * run for a task's only destination (the task itself), or for each destination it names (with what
 * that destination wrote) and for the task's own level (the defaults the destinations take).
 */
export function perDestination(...rules: TaskRule[]): Rule {
  return (input, report) => {
    const written = fields(input.written.tasks);
    for (const [name, task] of Object.entries(input.config.tasks)) {
      const taskWritten = fields<File.Task>(written[name]);
      const readings = input.readings[name]!;
      const common = { name, config: input.config };
      const levels: TaskInput[] = task.destinations
        ? [
            { ...common, spec: task, written: taskWritten, readings, destination: null, placeless: true, credential: undefined, backend: undefined, at: (...rest) => ["tasks", name, ...rest] },
            ...destinationsOf(task).map(({ name: destination, spec }) => ({
              ...common,
              spec,
              written: fields<File.Task>(fields(taskWritten.destinations)[destination!]),
              readings: readings.destinations[destination!]!,
              destination,
              placeless: false,
              ...place(input, spec.credential),
              at: (...rest: Path) => ["tasks", name, "destinations", destination!, ...rest],
            })),
          ]
        : [{ ...common, spec: task, written: taskWritten, readings, destination: null, placeless: false, ...place(input, task.credential), at: (...rest) => ["tasks", name, ...rest] }];
      for (const level of levels) for (const rule of rules) rule(level, report);
    }
  };
}
