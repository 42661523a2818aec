// The notifications subscriber: hears the event stream, decides which
// channels get what (SPEC section 9), and delivers in the background. A
// delivery never delays or fails a run; a failed one is told in the service
// log (a notice) and in the run's log.
import { hostname } from "node:os";
import type { Diagnostic } from "../model/diagnostics.js";
import type { ChannelSpec, NotifyEvent, Settings } from "../model/config.js";
import { channelsFor } from "../config/notifications.js";
import type { EventBus } from "../events/events.js";
import type { Stamped } from "../model/events.js";
import type { RunRecord } from "../model/run-record.js";
import { RunLogs } from "../state/run-logs.js";
import { redactor, secretsOf } from "../secrets/secrets.js";
import type { AppliedState } from "../model/applied-state.js";
import { VERSION } from "../version.js";
import { outcomeLine, recordJson } from "../views/record.js";
import { deliver, type DeliveryContext } from "./deliver.js";
import type { Notification } from "./payloads.js";

const LOG_TAIL_LINES = 20;

export interface NotifierOptions {
  /** The configuration whose channels are used: the applied state, as it is now. */
  config: () => Pick<AppliedState, "settings" | "credentials" | "notifications" | "tasks">;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Tests shorten the bounds. */
  delivery?: Partial<Pick<DeliveryContext, "attemptTimeoutMs" | "backoffMs">>;
}

/** The last lines of a run's log (already redacted when written). */
function logTail(stateDir: string, record: RunRecord): string[] {
  try {
    return new RunLogs(stateDir).read(record.task, record.id).toString("utf8").trimEnd().split("\n").slice(-LOG_TAIL_LINES);
  } catch {
    return [];
  }
}

/** What happened, as notifications: which events a run, check or service event means. */
function meaning(event: Stamped): { events: NotifyEvent[]; task: string | null; record: RunRecord | null; message: string; diagnostics: Diagnostic[] | null; fleetHost?: string } | null {
  switch (event.type) {
    case "run.started":
      if (event.record.dry_run || event.elsewhere) return null;
      return { events: ["start"], task: event.record.task, record: event.record, message: `${event.record.task}: run ${event.record.id} started (${event.record.trigger})`, diagnostics: null };
    case "run.finished": {
      const { record, previous } = event;
      if (record.dry_run || event.elsewhere) return null;
      const events: NotifyEvent[] =
        record.state === "SUCCESS" ? ["success", ...(previous === "FAILED" || previous === "ABORTED" ? (["recovered"] as const) : [])] : record.state === "HELD" ? ["held"] : ["failure"];
      return { events, task: record.task, record, message: outcomeLine(record), diagnostics: null };
    }
    case "check.finished":
      if (event.record.state === "SUCCESS" || event.elsewhere) return null;
      return { events: ["check_failed"], task: event.record.task, record: event.record, message: outcomeLine(event.record), diagnostics: null };
    case "task.overdue":
      return { events: ["overdue"], task: event.task, record: null, message: `${event.task} is overdue: its last successful run (${event.last_success ?? "never"}) is older than max_age ${event.max_age}`, diagnostics: null };
    case "fleet.stale":
      return { events: ["fleet_stale"], task: null, record: null, message: `Host ${event.host} of the fleet has been silent since ${event.last_seen ?? "ever"}, longer than ${event.stale_after}: its service may be down, or cannot reach the fleet's folder.`, diagnostics: null, fleetHost: event.host };
    case "fleet.failure":
      return {
        events: ["fleet_failure"],
        task: null,
        record: null,
        message: `On host ${event.host}: ${event.tasks.map((t) => `${t.task} FAILED (run ${t.run_id}${t.error ? `: ${t.error}` : ""})`).join("; ")}`,
        diagnostics: null,
        fleetHost: event.host,
      };
    case "config.rejected":
      return { events: ["config_rejected"], task: null, record: null, message: `${event.file} was not applied (${event.reason}): it has errors; the last applied configuration keeps running`, diagnostics: event.diagnostics };
    default:
      return null;
  }
}

export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  /** Listens to `bus` until the returned function is called. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => {
      const what = meaning(event);
      if (!what) return;
      const config = this.options.config();
      const task = what.task === null ? null : (config.tasks[what.task] ?? null);
      if (what.task !== null && task === null) return;
      for (const name of new Set(what.events.flatMap((e) => channelsFor(withDefaults(config), task, e).map((channel) => `${e}\0${channel}`)))) {
        const [notifyEvent, channel] = name.split("\0") as [NotifyEvent, string];
        bus.track(this.send(bus, config, channel, this.notification(notifyEvent, what)));
      }
    });
  }

  private notification(event: NotifyEvent, what: NonNullable<ReturnType<typeof meaning>>): Notification {
    const failed = what.record !== null && what.record.state !== "SUCCESS";
    return {
      event,
      task: what.task,
      host: hostname(),
      message: what.message,
      run: what.record && recordJson(what.record),
      diagnostics: what.diagnostics,
      cloudsync_version: VERSION,
      log_tail: failed ? logTail(this.options.stateDir, what.record!) : [],
      ...(what.fleetHost ? { fleet_host: what.fleetHost } : {}),
    };
  }

  private async send(bus: EventBus, config: ReturnType<NotifierOptions["config"]>, name: string, n: Notification): Promise<void> {
    const channel: ChannelSpec = config.notifications[name]!;
    const secrets = secretsOf(config);
    const redact = redactor(secrets);
    const result = await deliver(channel, n, { env: this.options.env, secrets, redact, ...this.options.delivery });
    const record = n.run as { id?: string; task?: string } | null;
    const line = result.ok ? `--- notified ${name} (${channel.type}) of ${n.event}` : `--- notification to ${name} (${channel.type}) of ${n.event} failed: ${result.reason}`;
    if (record?.id && record.task) {
      try {
        new RunLogs(this.options.stateDir).append(record.task, record.id, line, this.options.now());
      } catch {
        // the run's log is gone (pruned); the notice below still tells
      }
    }
    if (!result.ok) bus.emit({ type: "notice", level: "warning", message: `notification to ${name} (${channel.type}) of ${n.event}${n.task ? ` for ${n.task}` : ""} failed: ${result.reason}` });
  }
}

/** An older applied state has no settings.notify. */
function withDefaults(config: { settings: Settings | null; notifications: Record<string, ChannelSpec> }) {
  return { settings: { notify: config.settings?.notify ?? [] }, notifications: config.notifications };
}
