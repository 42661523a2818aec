// A cron expression as systemd `OnCalendar=` lines that fire at exactly the
// same instants as the service's scheduler (croner). systemd requires every
// part of one line to match, so cron's either-day rule becomes two lines, and
// each `N#K` or `NL` weekday a line of its own; their union is the schedule.
// What systemd cannot say (`W`, the nearest weekday) is refused with the
// reason, never approximated.
import { DAY, HOUR, isWhole, MINUTE, MONTH, parseCron, pieces, SECOND, WEEKDAY, type FieldSpec, type ParsedCron } from "./cron.js";

export type CalendarResult = { ok: true; lines: string[] } | { ok: false; reason: string };

const SYSTEMD_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A set of values in systemd's words: `*`, `A..B/STEP` (always closed:
 * systemd 252 fails on an open "A/STEP" day of month in some zones, "Resource
 * deadlock avoided"), or a list of values and `A..B` runs.
 */
function valueText(values: readonly number[], field: FieldSpec, word: (n: number) => string = pad): string {
  if (isWhole(values, field)) return "*";
  return pieces(values, field !== WEEKDAY)
    .map((p) => (p.kind === "value" ? word(p.value) : p.kind === "range" ? `${word(p.from)}..${word(p.to)}` : `${word(p.from)}..${word(p.to)}/${p.step}`))
    .join(",");
}

const weekdayText = (days: readonly number[]) => valueText(days, WEEKDAY, (n) => SYSTEMD_WEEKDAYS[n]!);

/** One way a day can match: a weekday part (or any) and a day-of-month part. */
interface DayRule {
  weekdays: string | null;
  days: string;
}

function dayOfMonthRules(dom: ParsedCron["dayOfMonth"]): DayRule[] {
  const rules: DayRule[] = [];
  if (dom.days.length > 0) rules.push({ weekdays: null, days: valueText(dom.days, DAY) });
  if (dom.last) rules.push({ weekdays: null, days: "~01" });
  return rules;
}

function dayOfWeekRules(dow: ParsedCron["dayOfWeek"]): DayRule[] {
  return [
    ...(dow.days.length > 0 ? [{ weekdays: weekdayText(dow.days), days: "*" }] : []),
    ...dow.nth.map(({ day, k }) => ({ weekdays: weekdayText([day]), days: `${pad(7 * (k - 1) + 1)}..${pad(Math.min(7 * k, 31))}` })),
    // The last such weekday: one of the month's last seven days.
    ...dow.last.map((day) => ({ weekdays: weekdayText([day]), days: "~07/1" })),
  ];
}

function dayRules(cron: ParsedCron): DayRule[] | string {
  const { dayOfMonth: dom, dayOfWeek: dow } = cron;
  if (dom.star && dow.star) return [{ weekdays: null, days: "*" }];
  if (dow.star) return dayOfMonthRules(dom);
  if (dom.star) return dayOfWeekRules(dow);
  if (!cron.both) return [...dayOfMonthRules(dom), ...dayOfWeekRules(dow)];
  // Both must match (croner's `+`): only plain days and plain weekdays combine in one line.
  if (dom.last || dow.nth.length > 0 || dow.last.length > 0) return "a day of month and a weekday with # or L, both required, are not one systemd can say";
  return [{ weekdays: weekdayText(dow.days), days: valueText(dom.days, DAY) }];
}

/**
 * The OnCalendar lines (their union) for a 5- or 6-field cron expression, in
 * `timezone` (an IANA name) or, without one, the machine's local time.
 */
export function onCalendar(expression: string, timezone: string | null): CalendarResult {
  const parsed = parseCron(expression);
  if (!parsed.ok) return { ok: false, reason: parsed.reason.replace("has no equivalent there", "has no systemd equivalent") };
  const { cron } = parsed;
  const rules = dayRules(cron);
  if (typeof rules === "string") return { ok: false, reason: rules };
  const time = `${valueText(cron.hours, HOUR)}:${valueText(cron.minutes, MINUTE)}:${valueText(cron.seconds, SECOND)}`;
  const months = valueText(cron.months, MONTH);
  const zone = timezone ? ` ${timezone}` : "";
  const lines = rules.map((rule) => `${rule.weekdays && rule.weekdays !== "*" ? `${rule.weekdays} ` : ""}*-${months}${rule.days.startsWith("~") ? "" : "-"}${rule.days} ${time}${zone}`);
  return { ok: true, lines: [...new Set(lines)] };
}
