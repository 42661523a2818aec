import { Cron } from "croner";
import { messages } from "./messages.js";

export const SCHEDULE_PRESETS: Readonly<Record<string, string>> = {
  hourly: "0 * * * *",
  daily: "0 0 * * *",
  weekly: "0 0 * * sun",
  monthly: "0 0 1 * *",
  yearly: "0 0 1 1 *",
  // cron's other names for the same
  annually: "0 0 1 1 *",
  midnight: "0 0 * * *",
};

export type ScheduleField = "minute" | "hour" | "dom" | "month" | "dow";
export type ScheduleObject = Partial<Record<ScheduleField, string | number>>;

export interface ScheduleProblem {
  message: string;
  field?: ScheduleField;
}

export type ScheduleResult = { ok: true; cron: string } | { ok: false; problems: ScheduleProblem[] };

const OBJECT_FIELDS: readonly ScheduleField[] = ["minute", "hour", "dom", "month", "dow"];
const FIELD_WORDS: Record<ScheduleField, string> = {
  minute: "minute",
  hour: "hour",
  dom: "day of month",
  month: "month",
  dow: "day of week",
};
// A fixed instant, so that checking a schedule never depends on the clock.
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

const checked = new Map<string, string | undefined>();

/** Why croner rejects a pattern, or undefined if it accepts it and it ever fires. */
export function cronProblem(expression: string): string | undefined {
  if (!checked.has(expression)) checked.set(expression, checkCron(expression));
  return checked.get(expression);
}

// [min, max] of each field of a 6-field expression (seconds first); day of week 7 is Sunday too.
const FIELD_RANGES: ReadonlyArray<readonly [number, number]> = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/**
 * Whether an expression made only of `*`, `*\/n` and plain numbers is plainly
 * valid and fires: the common case, decided without croner, which costs ~25 µs
 * a pattern (a lot for files with thousands of tasks).
 */
export function plainlyValid(expression: string): boolean {
  const fields = expression.split(" ");
  const all = fields.length === 5 ? ["0", ...fields] : fields;
  if (all.length !== 6) return false;
  const fixed = all.map((field, i) => {
    const [min, max] = FIELD_RANGES[i]!;
    if (field === "*") return false;
    const step = /^\*\/(0|[1-9]\d?)$/.exec(field);
    if (step) return Number(step[1]) >= 1 && Number(step[1]) <= max ? false : null;
    if (!/^(0|[1-9]\d?)$/.test(field)) return null;
    return Number(field) >= min && Number(field) <= max ? true : null;
  });
  if (fixed.includes(null)) return false;
  // A fixed day in a fixed month may not exist (30 2): croner decides those.
  return !(fixed[3] && fixed[4]);
}

const FIELD_NAMES = ["second", "minute", "hour", "day of month", "month", "day of week"];
const RANGE_NOTES: Record<number, string> = { 5: " (0 and 7 are Sunday)" };

/**
 * A number outside its field's range, said with the value as written. croner
 * reports these zero-based ("Invalid value for day: 31" for 32), which
 * misleads; every other problem is left to croner.
 */
function rangeProblem(expression: string): string | undefined {
  const fields = expression.split(" ");
  const all = fields.length === 5 ? ["0", ...fields] : fields;
  for (const [index, field] of all.entries()) {
    const [min, max] = FIELD_RANGES[index]!;
    for (const item of field.split(",")) {
      const match = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(item) ?? /^\*\/(\d+)$/.exec(item);
      if (!match) continue;
      const numbers = item.startsWith("*") ? [] : [match[1], match[2]].filter((n) => n !== undefined).map(Number);
      const wrong = numbers.find((n) => n < min || n > max);
      if (wrong !== undefined) return `${FIELD_NAMES[index]} ${wrong} is out of range: use ${min}–${max}${RANGE_NOTES[index] ?? ""}`;
      const step = item.startsWith("*") ? match[1] : match[3];
      if (step !== undefined && Number(step) === 0) return `a step of 0 in ${JSON.stringify(item)} never advances: use 1 or more`;
    }
  }
  return undefined;
}

function checkCron(expression: string): string | undefined {
  if (plainlyValid(expression)) return undefined;
  const outOfRange = rangeProblem(expression);
  if (outOfRange) return outOfRange;
  try {
    // No time zone: whether a pattern ever fires does not depend on one, and zone math is slow.
    const cron = new Cron(expression, { mode: "5-or-6-parts" });
    // Only a restricted day of month in a restricted month (30 2) can never come round.
    const fields = expression.split(" ").slice(-5);
    if (fields[2] === "*" || fields[3] === "*") return undefined;
    return cron.nextRun(REFERENCE) === null ? "it never fires" : undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, "");
  }
}

/** Five or six fields of digits and `*`, `,`, `-`, `/`, each after one space. */
const PLAIN_CRON = /^[0-9*,/-]+(?: [0-9*,/-]+){4,5}$/;

/** Turns any accepted schedule form into a 5- or 6-field cron expression. */
export function parseSchedule(input: string | ScheduleObject): ScheduleResult {
  // The usual form: nothing to rewrite (no preset, no extra spaces), only the expression to check.
  if (typeof input === "string" && PLAIN_CRON.test(input)) {
    const problem = cronProblem(input);
    return problem ? { ok: false, problems: [{ message: messages.badCron(input, problem) }] } : { ok: true, cron: input };
  }
  if (typeof input === "string") {
    const text = input.trim();
    // A preset, also with the leading @ cron writes it with (@daily).
    const preset = SCHEDULE_PRESETS[text.toLowerCase().replace(/^@/, "")];
    if (preset !== undefined) return { ok: true, cron: preset };
    if (text.toLowerCase() === "@reboot") return { ok: false, problems: [{ message: messages.rebootSchedule() }] };
    const fields = text.split(/\s+/);
    if (fields.length === 1) return { ok: false, problems: [{ message: messages.unknownSchedule(text) }] };
    if (fields.length !== 5 && fields.length !== 6) return { ok: false, problems: [{ message: messages.badCronFieldCount(fields.length) }] };
    const problem = cronProblem(fields.join(" "));
    return problem ? { ok: false, problems: [{ message: messages.badCron(text, problem) }] } : { ok: true, cron: fields.join(" ") };
  }
  const values = OBJECT_FIELDS.map((field) => String(input[field] ?? (field === "minute" ? "0" : "*")).trim());
  const problems: ScheduleProblem[] = [];
  OBJECT_FIELDS.forEach((field, index) => {
    // Check each field on its own, so the error points at the field that is wrong.
    const alone = OBJECT_FIELDS.map((_, i) => (i === index ? values[i] : i === 0 ? "0" : "*")).join(" ");
    const value = values[index]!;
    const problem = /\s/.test(value) || value === "" ? "one cron field expected" : cronProblem(alone);
    if (problem) problems.push({ field, message: messages.badScheduleField(FIELD_WORDS[field], value, problem) });
  });
  if (problems.length > 0) return { ok: false, problems };
  const cron = values.join(" ");
  const problem = cronProblem(cron);
  return problem ? { ok: false, problems: [{ message: messages.badCron(cron, problem) }] } : { ok: true, cron };
}
