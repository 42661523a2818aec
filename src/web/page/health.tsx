import type { Health } from "./api.js";
import { When } from "./clock.js";

/** The service in a few words, for the header: up since when, what is applied. */
export function ServiceLine({ health, down }: { health: Health; down: boolean }) {
  return (
    <span class="service">
      {down ? "Service not answering" : <>Service up since <When iso={health.service.since} /></>} · applied serial {health.serial}
      {health.applied_at && (
        <>
          , <When iso={health.applied_at} />
        </>
      )}
    </span>
  );
}

/** The file's health, when there is something to say: a rejected edit with its FILE:LINE:COLUMN, a file that differs with its plan. */
export function HealthPanel({ health }: { health: Health }) {
  const { config } = health;
  if (config.state === "applied") return null;
  return (
    <section class={`health ${config.state}`} aria-label="The configuration file">
      {config.state === "rejected" && (
        <div role="alert">
          <p>
            <strong>{health.file} has errors</strong>: the last applied configuration keeps running.
          </p>
          <ul class="diagnostics">
            {config.diagnostics.map((d) => (
              <li key={`${d.line}:${d.column}:${d.message}`} class={d.severity}>
                <code>
                  {d.file}:{d.line}:{d.column}: {d.severity}: {d.message}
                </code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {config.state === "differs" && config.plan && (
        <div>
          <p>
            <strong>{health.file} differs from what is applied</strong> — Plan: {config.plan.summary.add} to add, {config.plan.summary.change} to change, {config.plan.summary.destroy} to destroy.
          </p>
          <ul class="plan">
            {config.plan.changes.map((c) => (
              <li key={c.address}>
                <code>
                  {c.action === "create" ? "+" : c.action === "delete" ? "-" : "~"} {c.address}
                </code>
                {c.action === "update" && ` (${c.changed_fields.join(", ")})`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
