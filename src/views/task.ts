import { isSensitiveOption } from "../model/backends.js";
import type { CredentialSpec, TaskSpec } from "../model/config.js";
import { remoteOf } from "../plan/diff.js";
import { scheduleInWords } from "./schedule.js";

/** How a secret is shown on the page and in the API. */
export const SENSITIVE = "(sensitive)";

/** A task's applied settings for the task page: every field, secrets as `(sensitive)`. */
export function taskSettingsJson(spec: TaskSpec) {
  return {
    ...spec,
    encryption: spec.encryption && { ...spec.encryption, password: SENSITIVE, salt: spec.encryption.salt === null ? null : SENSITIVE },
    remote: remoteOf(spec),
    schedule_words: scheduleInWords(spec.schedule),
  };
}

/** A credential as the page may show it: its type and its options but the secret ones. */
export function credentialJson(name: string, credential: CredentialSpec) {
  return {
    name,
    type: credential.type,
    options: Object.fromEntries(Object.entries(credential.options).map(([option, value]) => [option, isSensitiveOption(credential.type, option, value) ? SENSITIVE : value])),
  };
}
