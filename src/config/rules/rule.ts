// What a rule is given and how it reports. A rule looks at the model built
// from the file (and, where it matters whether the user wrote a field, at
// the field as written) and reports what the schema cannot express.
import type { BackendCatalog, FoundBackend } from "../../model/backends.js";
import type { CredentialSpec, DesiredConfig, TaskSpec } from "../../model/config.js";
import type * as File from "../generated/config-types.js";
import type { TaskReadings } from "../model-builder.js";
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

/** One task, as every task rule sees it. */
export interface TaskInput {
  name: string;
  spec: TaskSpec;
  written: Unchecked<File.Task> & Fields;
  readings: TaskReadings;
  /** The task's credential and its backend, when both exist. */
  credential: CredentialSpec | undefined;
  backend: FoundBackend | undefined;
  config: DesiredConfig;
  /** The path of a field of the task. */
  at: (...rest: Path) => Path;
}

export type TaskRule = (task: TaskInput, report: Reporter) => void;

/** Task rules as one rule: each task is looked at once, by each of them in turn. */
export function perTask(...rules: TaskRule[]): Rule {
  return (input, report) => {
    const written = fields(input.written.tasks);
    for (const [name, spec] of Object.entries(input.config.tasks)) {
      const credential = input.config.credentials[spec.credential];
      const task: TaskInput = {
        name,
        spec,
        written: fields<File.Task>(written[name]),
        readings: input.readings[name]!,
        credential,
        backend: credential ? input.backends.find(credential.type) : undefined,
        config: input.config,
        at: (...rest) => ["tasks", name, ...rest],
      };
      for (const rule of rules) rule(task, report);
    }
  };
}
