// Duration and bytes per run over time, as a small SVG: bars for the bytes,
// a line for the duration, each on its own scale. A few dozen lines instead
// of a charting library keep the page small; the runs table below it holds
// the same figures for screen readers.
import { formatBytes, formatDuration } from "../../views/format.js";
import type { RecordJson } from "./api.js";
import { exactTime } from "./clock.js";
import { kindText } from "./parts.js";

/** Short runs are common: their durations in milliseconds rather than "0s". */
const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : formatDuration(ms));

const WIDTH = 640;
const HEIGHT = 120;
const PAD = { top: 6, bottom: 2, side: 4 };

export function RunChart({ runs }: { runs: readonly RecordJson[] }) {
  // Oldest first; runs that ended (a running one has no duration yet), checks apart.
  const shown = runs.filter((r) => r.kind === "run" && r.duration_ms !== null).reverse();
  if (shown.length < 2) return null;
  const maxBytes = Math.max(1, ...shown.map((r) => r.bytes));
  const maxMs = Math.max(1, ...shown.map((r) => r.duration_ms ?? 0));
  const step = (WIDTH - 2 * PAD.side) / shown.length;
  const plot = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.side + i * step;
  const y = (fraction: number) => PAD.top + plot * (1 - fraction);
  const line = shown.map((r, i) => `${(x(i) + step / 2).toFixed(1)},${y((r.duration_ms ?? 0) / maxMs).toFixed(1)}`).join(" ");
  const label = `Duration and bytes of the last ${shown.length} runs: at most ${duration(maxMs)} and ${formatBytes(maxBytes)}.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="none">
        {shown.map((r, i) => (
          <rect key={r.id} x={x(i) + step * 0.15} width={Math.max(1, step * 0.7)} y={y(r.bytes / maxBytes)} height={Math.max(0.5, plot * (r.bytes / maxBytes))} class={`bar ${r.state === "SUCCESS" ? "" : "off"}${r.dry_run ? " dry" : ""}`}>
            <title>
              {kindText(r)} {r.state}, {exactTime(r.started_at)}: {formatBytes(r.bytes)}, {r.files} files, {duration(r.duration_ms ?? 0)}
            </title>
          </rect>
        ))}
        <polyline points={line} class="duration" />
      </svg>
      <figcaption class="muted">
        <span class="key bytes" /> bytes, up to {formatBytes(maxBytes)} · <span class="key duration" /> duration, up to {duration(maxMs)} · {exactTime(shown[0]!.started_at)} to {exactTime(shown[shown.length - 1]!.started_at)}
      </figcaption>
    </figure>
  );
}
