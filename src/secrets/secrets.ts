// What is secret in a configuration, in one place, and the one redactor that
// keeps it out of every log, record, output and notification.
import { BUNDLED_BACKENDS, isSensitiveOption, urlPassword, type BackendCatalog } from "../model/backends.js";
import type { ChannelSpec, CredentialSpec, TaskSpec } from "../model/config.js";
import { destinationsOf } from "../model/destinations.js";
import { reveal } from "./obscure.js";

export const REDACTED = "[REDACTED]";

/** Shorter values are not redacted: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 3;

/** A header's value and, for `Bearer TOKEN` or `Basic CREDENTIALS`, the token on its own (a variable may hold just that). */
function headerValueParts(value: string): string[] {
  return [value, ...value.split(/\s+/).filter((word) => word.length >= 8 && word !== value)];
}

/** The secret parts of a value: itself, the password of a URL, the values of `headers` ("Name,value,Name,value"). */
function secretParts(option: string, value: string): string[] {
  const parts = [value];
  const password = urlPassword(value);
  if (password) parts.push(password, decodeURIComponentSafe(password));
  if (option === "headers") parts.push(...value.split(",").filter((_, index) => index % 2 === 1).flatMap(headerValueParts));
  return parts;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The secrets of one credential, as written (not obscured). */
export function credentialSecrets(credential: CredentialSpec, backends: BackendCatalog = BUNDLED_BACKENDS): string[] {
  return Object.entries(credential.options).flatMap(([option, value]) =>
    typeof value === "string" && isSensitiveOption(credential.type, option, value, backends) ? secretParts(option, value) : [],
  );
}

/** Parts of a URL that may be tokens: long path segments (a check's UUID, a webhook's key) and query values. */
function urlTokens(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  const segments = url.pathname.split("/").map(decodeURIComponentSafe).filter((segment) => segment.length >= 16);
  return [...segments, ...[...url.searchParams.values()].filter((v) => v.length >= 8), ...(url.password ? [url.password, decodeURIComponentSafe(url.password)] : [])];
}

/**
 * The secrets of a notification channel: its URL (a webhook's URL is its
 * password) and the tokens in it, its headers' values, its password and token.
 */
export function channelSecrets(channel: ChannelSpec): string[] {
  return [
    ...(channel.url !== null ? [channel.url, channel.url.split("{task}")[0]!, ...urlTokens(channel.url)] : []),
    ...(channel.smtp !== null ? urlTokens(channel.smtp) : []),
    ...Object.values(channel.headers).flatMap(headerValueParts),
    ...(channel.password !== null ? [channel.password] : []),
    ...(channel.token !== null ? [channel.token] : []),
  ];
}

/** Every secret of a configuration: every credential's, channel's and task's, not only one task's. */
export function secretsOf(config: {
  credentials: Record<string, CredentialSpec>;
  tasks: Record<string, TaskSpec>;
  notifications?: Record<string, ChannelSpec>;
  settings?: { web?: { token: string | null }; fleet?: { key: string } } | null;
}): string[] {
  const secrets = [...Object.values(config.credentials).flatMap((credential) => credentialSecrets(credential)), ...Object.values(config.notifications ?? {}).flatMap(channelSecrets)];
  const token = config.settings?.web?.token;
  if (token) secrets.push(token);
  const fleetKey = config.settings?.fleet?.key;
  if (fleetKey) secrets.push(fleetKey);
  for (const task of Object.values(config.tasks)) {
    // The task's own encryption, and each destination's.
    for (const { spec } of destinationsOf(task)) if (spec.encryption) secrets.push(spec.encryption.password, ...(spec.encryption.salt === null ? [] : [spec.encryption.salt]));
  }
  return [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
}

export type Redact = (text: string) => string;

/** rclone's obscured values are base64url of a 16-byte IV and the secret's bytes. */
const OBSCURED_CANDIDATE = /[A-Za-z0-9_-]{23,}/g;
const IV_BYTES = 16;

/**
 * Replaces every secret in text by [REDACTED]: each value, each line of a
 * multi-line one (a PEM key is logged line by line), and any obscured form
 * of one, whichever IV obscured it. Use it on what came from elsewhere
 * (rclone, scripts); cloudsync's own wording is never passed through it.
 */
export function redactor(secrets: readonly string[]): Redact {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) pieces.add(secret);
    // As JSON writes it (a log line quoting a value with " or \ in it).
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && secret.length >= MIN_SECRET_LENGTH) pieces.add(escaped);
    if (/[\r\n]/.test(secret)) {
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LENGTH) pieces.add(line.trim());
    }
  }
  const plain = [...pieces].sort((a, b) => b.length - a.length);
  if (plain.length === 0) return (text) => text;
  const byteLengths = new Set(plain.map((s) => Buffer.byteLength(s)));
  const known = new Set(plain);
  const unobscure = (token: string) => {
    // Only a token exactly the length of IV + some secret can be one of ours.
    if (!byteLengths.has(Buffer.byteLength(token, "base64url") - IV_BYTES)) return token;
    const revealed = reveal(token);
    return revealed !== null && known.has(revealed) ? REDACTED : token;
  };
  return (text) => {
    let out = text.replace(OBSCURED_CANDIDATE, unobscure);
    for (const secret of plain) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/**
 * The environment without any variable that holds a secret (or, for a long
 * secret, contains one): scripts and other programs get no secret of the
 * configuration, even through a variable the user set.
 */
export function withoutSecrets(env: NodeJS.ProcessEnv, secrets: readonly string[]): NodeJS.ProcessEnv {
  const exact = new Set(secrets);
  const long = secrets.filter((s) => s.length >= 8);
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value === undefined || (!exact.has(value) && !long.some((s) => value.includes(s)))));
}
