// A cron expression as systemd `OnCalendar=` lines that fire at exactly the
// same instants as the service's scheduler (croner): the same fields, names,
// lists, ranges and steps, `L` and `#`, and cron's rule that a restricted day
// of month and a restricted day of week each suffice (two lines, as systemd
// requires both parts of one line to match). What systemd cannot say (`W`,
// the nearest weekday) is refused with the reason, never approximated.

export type CalendarResult = { ok: true; lines: string[] } | { ok: false; reason: string };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const SYSTEMD_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

class Inexpressible extends Error {}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** The first value of a name list (months start at 1). */
  nameBase?: number;
}

const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
const MINUTE: FieldSpec = { name: "minute", min: 0, max: 59 };
const HOUR: FieldSpec = { name: "hour", min: 0, max: 23 };
const DAY: FieldSpec = { name: "day of month", min: 1, max: 31 };
const MONTH: FieldSpec = { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 };
// 7 is Sunday as well as 0.
const WEEKDAY: FieldSpec = { name: "day of week", min: 0, max: 7, names: WEEKDAYS, nameBase: 0 };

function number(text: string, field: FieldSpec): number {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = index >= 0 ? index + field.nameBase! : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < field.min || value > field.max) throw new Inexpressible(`${JSON.stringify(text)} is not a ${field.name}`);
  return value;
}

/** The values one plain item stands for: `*`, `N`, `N-M`, with an optional `/STEP`. */
function itemValues(item: string, field: FieldSpec): number[] {
  const [range, stepText] = item.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new Inexpressible(`the step in ${JSON.stringify(item)} is not a whole number`);
  let from: number;
  let to: number;
  if (range === "*" || range === "?") [from, to] = [field.min, field === WEEKDAY ? 6 : field.max];
  else if (range!.includes("-")) {
    const [a, b] = range!.split("-");
    [from, to] = [number(a!, field), number(b!, field)];
    if (from > to) throw new Inexpressible(`the range ${JSON.stringify(range)} runs backwards`);
  } else {
    from = number(range!, field);
    // "N/STEP" runs from N to the end of the field.
    to = stepText === undefined ? from : field === WEEKDAY ? 6 : field.max;
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(field === WEEKDAY && v === 7 ? 0 : v);
  return values;
}

function plainValues(items: readonly string[], field: FieldSpec): number[] {
  return [...new Set(items.flatMap((item) => itemValues(item, field)))].sort((a, b) => a - b);
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A set of values in systemd's words: `*`, `A..B/STEP`, or a list of values
 * and `A..B` runs.
 */
function valueText(values: readonly number[], field: FieldSpec, word: (n: number) => string = pad): string {
  const max = field === WEEKDAY ? 6 : field.max;
  if (values.length === max - field.min + 1) return "*";
  if (values.length >= 3 && field !== WEEKDAY) {
    const step = values[1]! - values[0]!;
    const evenly = values.every((v, i) => i === 0 || v - values[i - 1]! === step);
    // Always closed (A..B/STEP): systemd 252 fails on an open "A/STEP" day of month in some zones ("Resource deadlock avoided").
    if (evenly && step > 1) return `${word(values[0]!)}..${word(values.at(-1)!)}/${step}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${word(values[i]!)}..${word(values[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(word(values[k]!));
    i = j + 1;
  }
  return parts.join(",");
}

/** One way a day can match: a weekday part (or any) and a day-of-month part, as one OnCalendar line needs them. */
interface DayRule {
  weekdays: string | null;
  days: string;
}

function weekdayText(days: readonly number[]): string {
  return valueText(days, WEEKDAY, (n) => SYSTEMD_WEEKDAYS[n]!);
}

/** The day-of-month field's rules: plain days in one, `L` (the last day) in another. */
function dayOfMonthRules(field: string): DayRule[] {
  const items = field.split(",");
  if (items.some((item) => /W/i.test(item))) throw new Inexpressible(`systemd has no "nearest weekday" (${field})`);
  const last = items.some((item) => item.toUpperCase() === "L");
  const plain = items.filter((item) => item.toUpperCase() !== "L");
  const rules: DayRule[] = [];
  if (plain.length > 0) rules.push({ weekdays: null, days: valueText(plainValues(plain, DAY), DAY) });
  if (last) rules.push({ weekdays: null, days: "~01" });
  return rules;
}

/** The day-of-week field's rules: plain weekdays in one, each `N#K` (the Kth) and `NL` (the last) in one of its own. */
function dayOfWeekRules(field: string): DayRule[] {
  const rules: DayRule[] = [];
  const plain: string[] = [];
  for (const item of field.split(",")) {
    const nth = /^(\w+)#([1-5])$/.exec(item);
    const last = /^(\w+)L$/i.exec(item);
    if (nth) {
      const k = Number(nth[2]);
      rules.push({ weekdays: weekdayText([number(nth[1]!, WEEKDAY) % 7]), days: `${pad(7 * (k - 1) + 1)}..${pad(Math.min(7 * k, 31))}` });
    } else if (last) rules.push({ weekdays: weekdayText([number(last[1]!, WEEKDAY) % 7]), days: "~07/1" });
    else if (/[#L]/i.test(item) && !WEEKDAYS.includes(item.toUpperCase())) throw new Inexpressible(`${JSON.stringify(item)} in the day of week is not one systemd can say`);
    else plain.push(item);
  }
  if (plain.length > 0) rules.unshift({ weekdays: weekdayText(plainValues(plain, WEEKDAY)), days: "*" });
  return rules;
}

/** Both fields must match (croner's `+` before the day of week): only plain days and weekdays combine in one line. */
function bothRules(domRules: DayRule[], dowRules: DayRule[]): DayRule[] {
  return domRules.flatMap((dom) =>
    dowRules.map((dow) => {
      if (dow.days !== "*") throw new Inexpressible("a day of month and a weekday with # or L, both required, are not one systemd can say");
      return { weekdays: dow.weekdays, days: dom.days };
    }),
  );
}

const isStar = (field: string) => field === "*" || field === "?";

/**
 * The OnCalendar lines (their union) for a 5- or 6-field cron expression, in
 * `timezone` (an IANA name) or, without one, the machine's local time.
 */
export function onCalendar(cron: string, timezone: string | null): CalendarResult {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return { ok: false, reason: `a cron expression has 5 or 6 fields, not ${fields.length}` };
  const [second, minute, hour, dom, month, dowField] = fields.length === 6 ? fields : ["0", ...fields];
  try {
    const time = [hour!, minute!, second!].map((f, i) => valueText(plainValues(f.split(","), [HOUR, MINUTE, SECOND][i]!), [HOUR, MINUTE, SECOND][i]!)).join(":");
    const months = valueText(plainValues(month!.split(","), MONTH), MONTH);
    const both = dowField!.startsWith("+");
    const dow = both ? dowField!.slice(1) : dowField!;
    let rules: DayRule[];
    if (isStar(dom!) && isStar(dow)) rules = [{ weekdays: null, days: "*" }];
    else if (isStar(dow)) rules = dayOfMonthRules(dom!);
    else if (isStar(dom!)) rules = dayOfWeekRules(dow);
    // cron's rule: with both restricted, either one matching is enough.
    else rules = both ? bothRules(dayOfMonthRules(dom!), dayOfWeekRules(dow)) : [...dayOfMonthRules(dom!), ...dayOfWeekRules(dow)];
    const zone = timezone ? ` ${timezone}` : "";
    const lines = rules.map((rule) => `${rule.weekdays && rule.weekdays !== "*" ? `${rule.weekdays} ` : ""}*-${months}${rule.days.startsWith("~") ? "" : "-"}${rule.days} ${time}${zone}`);
    return { ok: true, lines: [...new Set(lines)] };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, reason: error.message };
    throw error;
  }
}
