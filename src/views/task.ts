import { isSensitiveOption } from "../model/backends.js";
import type { CredentialSpec, EncryptionSpec, TaskSpec } from "../model/config.js";
import { remoteOf } from "../plan/diff.js";
import { scheduleInWords } from "./schedule.js";

/** How a secret is shown on the page and in the API. */
export const SENSITIVE = "(sensitive)";

const maskedEncryption = (encryption: EncryptionSpec | null) => encryption && { ...encryption, password: SENSITIVE, salt: encryption.salt === null ? null : SENSITIVE };

/** A task's applied settings for the task page: every field, secrets (its own and each destination's) as `(sensitive)`. */
export function taskSettingsJson(spec: TaskSpec) {
  return {
    ...spec,
    encryption: maskedEncryption(spec.encryption),
    destinations: spec.destinations && Object.fromEntries(Object.entries(spec.destinations).map(([name, d]) => [name, { ...d, encryption: maskedEncryption(d.encryption) }])),
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
