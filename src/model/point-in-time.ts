// `restore --at TIME`: a time as people write it, read in the schedules' zone
// (settings.timezone, else the system's). Pure: the clock's now comes in.
import { durationMs } from "./config.js";

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const AGO = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;

/** How far `zone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function zoneOffsetMs(at: Date, zone: string | null): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone ?? undefined, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant `zone`'s clocks showed this wall time: the first, where a clock change shows it
 * twice; in a gap a clock change skipped, the instant as many minutes past the change.
 */
function fromWallTime(fields: number[], zone: string | null): Date {
  const [year, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const HALF_DAY = 12 * 3_600_000;
  // The zone's offsets half a day either side: one of them is the one in force, unless a change lies between.
  const candidates = [zoneOffsetMs(new Date(asUtc - HALF_DAY), zone), zoneOffsetMs(new Date(asUtc + HALF_DAY), zone)].map((offset) => asUtc - offset);
  const shown = candidates.filter((at) => at + zoneOffsetMs(new Date(at), zone) === asUtc).sort((a, b) => a - b);
  return new Date(shown[0] ?? candidates[0]!);
}

/**
 * TIME as `restore --at` takes it: an RFC 3339 time (`2026-12-01T03:00:00Z`, `…+01:00`), a wall
 * time or a date in the zone (`2026-12-01 03:00`, `2026-12-01`: its first moment), or a duration
 * ago (`3d`, `12h`). Null when it is none of them.
 */
export function parsePointInTime(text: string, zone: string | null, now: Date): Date | null {
  const written = text.trim();
  if (AGO.test(written)) return new Date(now.getTime() - durationMs(written));
  if (WITH_OFFSET.test(written)) {
    const at = new Date(written);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  const wall = WALL.exec(written);
  if (!wall) return null;
  const fields = wall.slice(1, 7).map((part) => Number(part ?? 0));
  const [, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return fromWallTime(fields, zone);
}
