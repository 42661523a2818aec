// The Fleet view: every host of the fleet as this service last read the shared
// folder (it reads it every minute, and the page follows each read), with its
// counts per state; stale and untrusted hosts marked; a host's tasks unfolded on
// demand. Read-only: each host acts on its own tasks.
import { useEffect, useState } from "preact/hooks";
import { getJson, type Fleet, type FleetHost } from "./api.js";
import { When } from "./clock.js";
import { Columns, StateBadge } from "./parts.js";

/** How often the page asks again when no read is heard of (the service reads every minute). */
const FALLBACK_MS = 60_000;
const ORDER = ["FAILED", "HELD", "RUNNING", "ABORTED", "SUCCESS", "PENDING"] as const;

function Counts({ counts, label }: { counts: Fleet["counts"]; label: string }) {
  const shown = ORDER.filter((state) => counts[state] > 0);
  if (shown.length === 0) return <span class="muted">no tasks</span>;
  return (
    <ul class="counts" aria-label={label}>
      {shown.map((state) => (
        <li key={state}>
          <StateBadge state={state} /> {counts[state]}
        </li>
      ))}
    </ul>
  );
}

function HostTasks({ host }: { host: FleetHost }) {
  return (
    <table class="fleet-tasks">
      <caption class="sr-only">Tasks of {host.host}</caption>
      <Columns names={["Task", "State", "Last run", "Last success", "Next run", "Flags"]} />
      <tbody>
        {host.tasks.map((task) => (
          <tr key={task.name} data-task={task.name} class={task.enabled ? undefined : "disabled"}>
            <th scope="row">{task.name}</th>
            <td data-label="State">
              <StateBadge state={task.state} />
              {task.destinations?.map((d) => (
                <span key={d.name} class="destination" title={d.error ?? undefined}>
                  {" "}
                  {d.name}: <StateBadge state={d.state} />
                </span>
              ))}
            </td>
            <td data-label="Last run">
              <When iso={task.last_run?.finished_at ?? null} empty="never" />
              {task.last_run?.error && <div class="error-text">{task.last_run.error}</div>}
            </td>
            <td data-label="Last success">
              <When iso={task.last_success} empty="never" />
            </td>
            <td data-label="Next run">
              <When iso={task.next_run} empty="when asked" />
            </td>
            <td data-label="Flags">{[task.overdue && "overdue", task.held && "held", !task.enabled && "disabled"].filter(Boolean).join(", ") || "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Host({ host, self }: { host: FleetHost; self: string }) {
  const name = `${host.host}${host.host === self ? " (this host)" : ""}`;
  if (!host.trusted) {
    return (
      <li class="host untrusted" data-host={host.host}>
        <div class="host-line">
          <strong>{name}</strong> <span class="badge bad">UNTRUSTED</span> <span>{host.problem}: its content is not shown.</span>
        </div>
      </li>
    );
  }
  return (
    <li class={`host${host.stale ? " stale" : ""}`} data-host={host.host}>
      <details>
        <summary>
          <strong>{name}</strong> {host.stale ? <span class="badge warn">STALE</span> : <span class="badge good">OK</span>}{" "}
          <span class="seen">
            last seen <When iso={host.last_seen} empty="never" />
          </span>{" "}
          <Counts counts={host.counts} label={`Tasks of ${host.host} by state`} />
          {host.overdue > 0 && <span class="badge warn">{host.overdue} overdue</span>}
          <span class="muted versions">
            cloudsync {host.cloudsync} · rclone {host.rclone ?? "?"} · serial {host.serial}
          </span>
        </summary>
        <HostTasks host={host} />
      </details>
    </li>
  );
}

/** `reads`: one more with every read of the fleet the service reports (the event stream). */
export function FleetPage({ reads }: { reads: number }) {
  const [fleet, setFleet] = useState<Fleet | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const load = () =>
      getJson<Fleet>("/api/v1/fleet").then(
        (answer) => current && (setFleet(answer), setProblem(null)),
        (error: Error & { hint?: string | null }) => current && setProblem(`${error.message}${error.hint ? `. ${error.hint}` : ""}`),
      );
    void load();
    const timer = setInterval(() => void load(), FALLBACK_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [reads]);

  const stale = fleet?.hosts.filter((h) => h.stale).length ?? 0;
  const untrusted = fleet?.hosts.filter((h) => !h.trusted).length ?? 0;
  return (
    <section class="fleet" aria-labelledby="fleet-title">
      <h2 id="fleet-title">Fleet</h2>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {fleet === null ? (
        !problem && <p role="status">Reading the fleet…</p>
      ) : (
        <>
          <p class="fleet-summary">
            {fleet.hosts.length} {fleet.hosts.length === 1 ? "host" : "hosts"} in <code>{fleet.folder}</code>
            {stale > 0 && <span class="badge warn">{stale} STALE</span>}
            {untrusted > 0 && <span class="badge bad">{untrusted} UNTRUSTED</span>} · read <When iso={fleet.read_at} /> · STALE after {fleet.stale_after} of silence
          </p>
          <Counts counts={fleet.counts} label="Tasks of every host by state" />
          <ul class="hosts">
            {fleet.hosts.map((host) => (
              <Host key={host.host} host={host} self={fleet.self} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
