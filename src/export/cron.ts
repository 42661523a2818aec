// A cron expression as the service's scheduler (croner) reads it, taken apart
// into the values each field stands for, so each export target can write it
// in its own words and fire at exactly the same instants: names, lists,
// ranges and steps; 7 as Sunday; `L` (the last day), `N#K` (the Kth weekday)
// and `NL` (the last weekday); `?`; a leading `+` on the day of week (both
// day fields must match); and cron's rule that otherwise, when both day
// fields are restricted, either one matching is enough.

export type ParseResult = { ok: true; cron: ParsedCron } | { ok: false; reason: string };

export interface ParsedCron {
  seconds: number[];
  minutes: number[];
  hours: number[];
  months: number[];
  dayOfMonth: {
    /** Written as `*` or `?`: no restriction (and cron's either-day rule does not apply). */
    star: boolean;
    days: number[];
    /** `L`: the last day of the month. */
    last: boolean;
  };
  dayOfWeek: {
    star: boolean;
    /** 0 (Sunday) to 6. */
    days: number[];
    /** `N#K`: the Kth such weekday of the month. */
    nth: { day: number; k: number }[];
    /** `NL`: the last such weekday of the month. */
    last: number[];
  };
  /** `+` before the day of week: both day fields must match. */
  both: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

export interface FieldSpec {
  name: string;
  min: number;
  /** The largest value as the field is kept (weekdays 0–6; 7 is read as 0). */
  max: number;
  names?: readonly string[];
  nameBase?: number;
}

export const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
export const MINUTE: FieldSpec = { name: "minute", min: 0, max: 59 };
export const HOUR: FieldSpec = { name: "hour", min: 0, max: 23 };
export const DAY: FieldSpec = { name: "day of month", min: 1, max: 31 };
export const MONTH: FieldSpec = { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 };
export const WEEKDAY: FieldSpec = { name: "day of week", min: 0, max: 6, names: WEEKDAYS, nameBase: 0 };

export class Inexpressible extends Error {}

function number(text: string, field: FieldSpec): number {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = index >= 0 ? index + field.nameBase! : /^\d+$/.test(text) ? Number(text) : NaN;
  const max = field === WEEKDAY ? 7 : field.max;
  if (!Number.isInteger(value) || value < field.min || value > max) throw new Inexpressible(`${JSON.stringify(text)} is not a ${field.name}`);
  return field === WEEKDAY ? value % 7 : value;
}

/** The values one plain item stands for: `*`, `N`, `N-M`, with an optional `/STEP`. */
function itemValues(item: string, field: FieldSpec): number[] {
  const [range, stepText] = item.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new Inexpressible(`the step in ${JSON.stringify(item)} is not a whole number`);
  let from: number;
  let to: number;
  if (range === "*" || range === "?") [from, to] = [field.min, field.max];
  else if (range!.includes("-")) {
    const [a, b] = range!.split("-");
    from = number(a!, field);
    // A range may end at 7 for Sunday (5-7): counted before turning 7 into 0.
    to = field === WEEKDAY && b === "7" ? 7 : number(b!, field);
    if (from > to) throw new Inexpressible(`the range ${JSON.stringify(range)} runs backwards`);
  } else {
    from = number(range!, field);
    // "N/STEP" runs from N to the end of the field.
    to = stepText === undefined ? from : field.max;
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(field === WEEKDAY ? v % 7 : v);
  return values;
}

export function plainValues(items: readonly string[], field: FieldSpec): number[] {
  return [...new Set(items.flatMap((item) => itemValues(item, field)))].sort((a, b) => a - b);
}

const isStar = (field: string) => field === "*" || field === "?";

function parseDayOfMonth(field: string): ParsedCron["dayOfMonth"] {
  const items = field.split(",");
  if (items.some((item) => /W/i.test(item))) throw new Inexpressible(`the nearest weekday (${field}) has no equivalent there`);
  const plain = items.filter((item) => item.toUpperCase() !== "L");
  return { star: isStar(field), days: plain.length > 0 ? plainValues(plain, DAY) : [], last: plain.length < items.length };
}

function parseDayOfWeek(field: string): ParsedCron["dayOfWeek"] {
  const parsed: ParsedCron["dayOfWeek"] = { star: isStar(field), days: [], nth: [], last: [] };
  const plain: string[] = [];
  for (const item of field.split(",")) {
    const nth = /^(\w+)#([1-5])$/.exec(item);
    const last = /^(\w+)L$/i.exec(item);
    if (nth) parsed.nth.push({ day: number(nth[1]!, WEEKDAY), k: Number(nth[2]) });
    else if (last) parsed.last.push(number(last[1]!, WEEKDAY));
    else if (/[#L]/i.test(item)) throw new Inexpressible(`${JSON.stringify(item)} in the day of week has no equivalent there`);
    else plain.push(item);
  }
  parsed.days = plain.length > 0 ? plainValues(plain, WEEKDAY) : [];
  return parsed;
}

/** A 5- or 6-field cron expression (seconds first) taken apart. */
export function parseCron(cron: string): ParseResult {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return { ok: false, reason: `a cron expression has 5 or 6 fields, not ${fields.length}` };
  const [second, minute, hour, dom, month, dowField] = fields.length === 6 ? fields : ["0", ...fields];
  const both = dowField!.startsWith("+");
  try {
    return {
      ok: true,
      cron: {
        seconds: plainValues(second!.split(","), SECOND),
        minutes: plainValues(minute!.split(","), MINUTE),
        hours: plainValues(hour!.split(","), HOUR),
        months: plainValues(month!.split(","), MONTH),
        dayOfMonth: parseDayOfMonth(dom!),
        dayOfWeek: parseDayOfWeek(both ? dowField!.slice(1) : dowField!),
        both,
      },
    };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Whether the values are the whole field. */
export const isWhole = (values: readonly number[], field: FieldSpec) => values.length === field.max - field.min + 1;

/**
 * A set of values as `A..B/STEP`-like pieces: evenly spaced (three or more)
 * as one progression, otherwise runs of three or more as ranges and the rest
 * one by one. Each target writes the pieces in its own syntax.
 */
export type Piece = { kind: "value"; value: number } | { kind: "range"; from: number; to: number } | { kind: "step"; from: number; to: number; step: number };

export function pieces(values: readonly number[], allowSteps: boolean): Piece[] {
  if (values.length >= 3 && allowSteps) {
    const step = values[1]! - values[0]!;
    if (step > 1 && values.every((v, i) => i === 0 || v - values[i - 1]! === step)) return [{ kind: "step", from: values[0]!, to: values.at(-1)!, step }];
  }
  const result: Piece[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) result.push({ kind: "range", from: values[i]!, to: values[j]! });
    else for (let k = i; k <= j; k++) result.push({ kind: "value", value: values[k]! });
    i = j + 1;
  }
  return result;
}
