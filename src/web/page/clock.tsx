// One clock for the whole page: every time in the schedules' zone (named once,
// in the header), shown relative ("in 3 h", "5 min ago"), with the exact time
// on hover and for screen readers. Relative times move on by themselves.
import { useEffect, useState } from "preact/hooks";

let zone: string | undefined;
let exact = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short" });
let exactSeconds = new Intl.DateTimeFormat("sv-SE", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The zone every time on the page is shown in. */
export function setZone(name: string): void {
  if (name === zone) return;
  zone = name;
  exact = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: name });
  exactSeconds = new Intl.DateTimeFormat("sv-SE", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: name });
}

export const zoneName = () => zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

/** 2026-12-07 21:03, in the zone. */
export const exactTime = (iso: string) => exact.format(new Date(iso));
/** 21:03:07, in the zone: a log line's time. */
export const timeOfDay = (date: Date) => exactSeconds.format(date);

const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "in 3 hr.", "5 min. ago", "now". */
export function relativeTime(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) if (Math.abs(delta) >= ms) return RELATIVE.format(Math.round(delta / ms), unit);
  return Math.abs(delta) < 45_000 ? "now" : RELATIVE.format(Math.round(delta / 1000), "second");
}

/** The page's now, moving on every half minute (one timer for every time shown). */
let now = Date.now();
const listeners = new Set<(at: number) => void>();
setInterval(() => {
  now = Date.now();
  for (const listener of listeners) listener(now);
}, 30_000);

export function useNow(): number {
  const [at, setAt] = useState(now);
  useEffect(() => {
    listeners.add(setAt);
    return () => void listeners.delete(setAt);
  }, []);
  return at;
}

/** A time: relative on the page, exact on hover and for screen readers. */
export function When({ iso, empty = "–" }: { iso: string | null; empty?: string }) {
  const at = useNow();
  if (iso === null) return <span>{empty}</span>;
  const full = exactTime(iso);
  const relative = relativeTime(iso, at);
  return (
    <time dateTime={iso} title={full}>
      <span aria-hidden="true">{relative}</span>
      <span class="sr-only">
        {relative} ({full})
      </span>
    </time>
  );
}
