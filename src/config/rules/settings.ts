import { isLoopback, listenAddress } from "../../model/address.js";
import type * as File from "../generated/config-types.js";
import { messages } from "../messages.js";
import { isTimeZone } from "../model-builder.js";
import { hasControlCharacter } from "../safety.js";
import { closest } from "../suggest.js";
import { fields, texts } from "../unchecked.js";
import type { Rule } from "./rule.js";

const settingsOf = (input: Parameters<Rule>[0]) => fields<NonNullable<File.Settings>>(input.written.settings);

/** allowed_roots are absolute directories. */
export const allowedRootsAbsolute: Rule = (input, report) => {
  texts(settingsOf(input).allowed_roots).forEach((root, index) => {
    if (!root.startsWith("/")) report.error(messages.pathNotAbsolute(`allowed_roots[${index}]`, root), ["settings", "allowed_roots", index]);
  });
};

/** settings.timezone is a zone this machine knows. */
export const knownTimezone: Rule = (input, report) => {
  const zone = settingsOf(input).timezone;
  if (typeof zone === "string" && !isTimeZone(zone)) report.error(messages.badTimezone(zone, closest(zone, Intl.supportedValuesOf("timeZone"))), ["settings", "timezone"]);
};

/** Listen addresses are host:port; the dashboard listens beyond this machine only with a token. */
export const listenAddresses: Rule = (input, report) => {
  const { metrics, web } = input.config.settings;
  if (metrics.listen !== null && listenAddress(metrics.listen) === null) report.error(messages.badListen(metrics.listen), ["settings", "metrics", "listen"]);
  if (web.listen !== null) {
    const where = listenAddress(web.listen);
    if (where === null) report.error(messages.badListen(web.listen), ["settings", "web", "listen"]);
    else if (web.token === null && !isLoopback(where.host)) report.error(messages.webNeedsToken(web.listen), ["settings", "web", "listen"]);
  }
};

/** The metrics textfile is an absolute path. */
export const textfileAbsolute: Rule = (input, report) => {
  const { textfile } = input.config.settings.metrics;
  if (textfile !== null && !textfile.startsWith("/")) report.error(messages.pathNotAbsolute("textfile", textfile), ["settings", "metrics", "textfile"]);
};

/** What reaches a systemd unit or a manifest besides the tasks' fields has no control character. */
export const settingsOnOneLine: Rule = (input, report) => {
  const written = settingsOf(input);
  for (const key of ["state_dir", "rclone"] as const) {
    const value = written[key];
    if (typeof value === "string" && hasControlCharacter(value)) report.error(messages.controlCharacter(key), ["settings", key]);
  }
  const { textfile } = input.config.settings.metrics;
  if (textfile !== null && hasControlCharacter(textfile)) report.error(messages.controlCharacter("textfile"), ["settings", "metrics", "textfile"]);
};

/** The fleet's folder is on a credential of the file, in a bucket exactly when its backend has buckets. */
export const fleetPlace: Rule = (input, report) => {
  const fleet = input.config.settings.fleet;
  if (!fleet) return;
  const { credential, bucket, folder } = fleet.publish;
  const at = ["settings", "fleet", "publish"];
  const found = input.config.credentials[credential];
  if (!found) {
    const known = Object.keys(input.config.credentials);
    return report.error(messages.unknownCredential(credential, closest(credential, known), known), [...at, "credential"]);
  }
  const backend = input.backends.find(found.type);
  if (backend?.bucketBased && bucket === null) report.error(messages.bucketRequired(credential, backend.name), at, "key");
  if (backend && !backend.bucketBased && bucket !== null) report.error(messages.bucketNotApplicable(credential, backend.name), [...at, "bucket"], "key");
  if (backend?.name === "local" && !folder.startsWith("/")) report.error(messages.localFolderNotAbsolute(credential), folder === "" ? at : [...at, "folder"], folder === "" ? "key" : "value");
  for (const key of ["bucket", "folder"] as const) {
    const value = fleet.publish[key];
    if (typeof value === "string" && hasControlCharacter(value)) report.error(messages.controlCharacter(key), [...at, key]);
  }
};
