// The rules a file must follow beyond its schema, in one list: each a small
// named function over the model built from the file (../model-builder.ts).
import { channelShapes, settingsNotifyKnown, taskNotifyKnown } from "./notifications.js";
import { perDestination, perTask, type Reporter, type Rule, type RuleInput } from "./rule.js";
import { secretsNotWrittenOut } from "./secrets.js";
import { allowedRootsAbsolute, fleetPlace, knownTimezone, listenAddresses, settingsOnOneLine, textfileAbsolute } from "./settings.js";
import {
  bucketFitsBackend,
  destinationsApart,
  destinationsOrCredential,
  ownDestinationsApart,
  placeOnOneLine,
  readableSchedule,
  knownCredential,
  localFolderApart,
  maxDeleteSensible,
  noProtectedPlaces,
  noPushToReadOnly,
  onOneLine,
  pathAbsoluteAndAllowed,
  rcloneArgsLeaveOwnedFlags,
  readablePatterns,
  readableTimes,
  snapshotOfSource,
  versionsKeepable,
} from "./tasks.js";

export const RULES: readonly Rule[] = [
  allowedRootsAbsolute,
  knownTimezone,
  listenAddresses,
  textfileAbsolute,
  settingsOnOneLine,
  fleetPlace,
  settingsNotifyKnown,
  channelShapes,
  secretsNotWrittenOut,
  perTask(onOneLine, pathAbsoluteAndAllowed, destinationsOrCredential, ownDestinationsApart, readableSchedule, readablePatterns, snapshotOfSource, taskNotifyKnown),
  perDestination(
    placeOnOneLine,
    knownCredential,
    bucketFitsBackend,
    localFolderApart,
    noPushToReadOnly,
    noProtectedPlaces,
    readableTimes,
    rcloneArgsLeaveOwnedFlags,
    maxDeleteSensible,
    versionsKeepable,
  ),
  destinationsApart,
];

export function applyRules(input: RuleInput, report: Reporter, rules: readonly Rule[] = RULES): void {
  for (const rule of rules) rule(input, report);
}

export type { Reporter, Rule, RuleInput } from "./rule.js";
