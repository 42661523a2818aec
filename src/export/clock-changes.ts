// Where systemd and the service part ways: at a daylight-saving change. A
// run whose local time the clock skips, systemd leaves out, while the service
// (croner) runs it when the clock jumps; a run in the hour the clock repeats,
// systemd runs once, the service twice. No OnCalendar line can say the
// service's way, so the export names the tasks it concerns instead.
import { Cron } from "croner";

export interface ClockChange {
  /** The instant the offset changes. */
  at: Date;
  /** Skipped (the clock goes forward) or repeated (it goes back). */
  kind: "skipped" | "repeated";
  /** The local wall times concerned, as `YYYY-MM-DDTHH:MM` (from inclusive, to exclusive). */
  from: string;
  to: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in minutes. */
function offsetMinutes(zone: string, instant: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

const DAY_MS = 86_400_000;
const wallText = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** The zone's daylight-saving changes between two instants. */
export function clockChanges(zone: string, from: Date, to: Date): ClockChange[] {
  const changes: ClockChange[] = [];
  for (let day = from.getTime(); day < to.getTime(); day += DAY_MS) {
    const before = offsetMinutes(zone, day);
    const after = offsetMinutes(zone, day + DAY_MS);
    if (before === after) continue;
    // The minute it changes, by halving the day.
    let [low, high] = [day, day + DAY_MS];
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(zone, middle) === before) low = middle;
      else high = middle;
    }
    const wall = high + before * 60_000; // the local time the old offset would show at the change
    const delta = (after - before) * 60_000;
    changes.push(
      delta > 0
        ? { at: new Date(high), kind: "skipped", from: wallText(wall), to: wallText(wall + delta) }
        : { at: new Date(high), kind: "repeated", from: wallText(wall + delta), to: wallText(wall) },
    );
  }
  return changes;
}

/** The changes at which the cron has a run in the local times concerned. */
export function changesConcerning(cron: string, zone: string, from: Date, to: Date): ClockChange[] {
  // Wall times compared as if they were UTC: croner in UTC is a plain calendar.
  const wall = new Cron(cron, { mode: "5-or-6-parts", timezone: "UTC" });
  return clockChanges(zone, from, to).filter((change) => {
    const start = Date.parse(`${change.from}:00Z`);
    const next = wall.nextRun(new Date(start - 1));
    return next !== null && next.getTime() < Date.parse(`${change.to}:00Z`);
  });
}
