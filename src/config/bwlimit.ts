import { messages } from "./messages.js";

export interface BwlimitEntryInput {
  time: string;
  bandwidth: string;
}

/** A problem in a bwlimit, with which list entry (list form) or character (string form) it is about. */
export interface BwlimitProblem {
  message: string;
  entry?: number;
  field?: "time" | "bandwidth";
  offset?: number;
}

export type BwlimitResult = { ok: true; value: string } | { ok: false; problems: BwlimitProblem[] };

// rclone's SizeSuffix as --bwlimit takes it: 10, 1.5M, 10Mi, 10MiB (but not 10MB).
const RATE = /^\d+(\.\d+)?([bBkKmMgGtTpP]|[kKmMgGtTpP]iB?)?$/;
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const TIME = /^(?:([A-Za-z]+)-)?([01]\d|2[0-3]):([0-5]\d)$/;

const isOff = (side: string) => side.toLowerCase() === "off";

function rateProblem(rate: string): string | undefined {
  const sides = rate.split(":");
  if (sides.length > 2 || sides.some((side) => !isOff(side) && !RATE.test(side))) return messages.badBandwidth(rate);
  return undefined;
}

/** rclone reads "off" in any case; the model keeps one spelling, so OFF and off are no change in a plan. */
const canonicalRate = (rate: string) => rate.split(":").map((side) => (isOff(side) ? "off" : side)).join(":");

/** Minutes since Monday 00:00 (weekday form) or since 00:00 (every day), or undefined if invalid. */
function parseTime(text: string): { day: number | null; minutes: number } | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [, dayName, hours, minutes] = match;
  let day: number | null = null;
  if (dayName !== undefined) {
    const lower = dayName.toLowerCase();
    day = DAYS.findIndex((full) => lower === full || lower === full.slice(0, 3));
    if (day < 0) return undefined;
  }
  return { day, minutes: Number(hours) * 60 + Number(minutes) };
}

/**
 * Checks a bwlimit in any of its accepted forms and returns it in rclone's
 * --bwlimit syntax. Entries with a weekday and those without are ordered separately.
 */
export function parseBwlimit(input: string | readonly BwlimitEntryInput[]): BwlimitResult {
  if (typeof input !== "string") return parseBwlimitUncached(input);
  // Many tasks share one timetable.
  let result = parsedStrings.get(input);
  if (!result) parsedStrings.set(input, (result = parseBwlimitUncached(input)));
  return result;
}

const parsedStrings = new Map<string, BwlimitResult>();

function parseBwlimitUncached(input: string | readonly BwlimitEntryInput[]): BwlimitResult {
  const problems: BwlimitProblem[] = [];
  if (typeof input === "string") {
    const text = input.trim();
    if (!text.includes(",")) {
      const problem = rateProblem(text);
      return problem ? { ok: false, problems: [{ message: problem }] } : { ok: true, value: canonicalRate(text) };
    }
    const entries: BwlimitEntryInput[] = [];
    const offsets: number[] = [];
    for (const match of input.matchAll(/\S+/g)) {
      const parts = match[0].split(",");
      if (parts.length !== 2) {
        problems.push({ message: messages.badBwlimitEntry(match[0]), offset: match.index });
        continue;
      }
      entries.push({ time: parts[0]!, bandwidth: parts[1]! });
      offsets.push(match.index);
    }
    for (const problem of checkTimetable(entries)) {
      const entry = problem.entry!;
      const intoEntry = problem.field === "bandwidth" ? entries[entry]!.time.length + 1 : 0;
      problems.push({ message: problem.message, offset: offsets[entry]! + intoEntry });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: timetable(entries) };
  }
  problems.push(...checkTimetable(input));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: timetable(input) };
}

const timetable = (entries: readonly BwlimitEntryInput[]) => entries.map((e) => `${e.time},${canonicalRate(e.bandwidth)}`).join(" ");

function checkTimetable(entries: readonly BwlimitEntryInput[]): BwlimitProblem[] {
  const problems: BwlimitProblem[] = [];
  const lastByDay = new Map<number | null, { minutes: number; text: string }>();
  entries.forEach((entry, index) => {
    const time = parseTime(entry.time);
    if (!time) problems.push({ message: messages.badBwlimitTime(entry.time), entry: index, field: "time" });
    else {
      const previous = lastByDay.get(time.day);
      if (previous && time.minutes <= previous.minutes) {
        problems.push({ message: messages.bwlimitOrder(entry.time, previous.text), entry: index, field: "time" });
      }
      lastByDay.set(time.day, { minutes: time.minutes, text: entry.time });
    }
    const rateIssue = rateProblem(entry.bandwidth);
    if (rateIssue) problems.push({ message: rateIssue, entry: index, field: "bandwidth" });
  });
  return problems;
}
