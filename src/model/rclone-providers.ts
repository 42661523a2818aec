// `rclone config providers` (its JSON) → the backend table cloudsync checks
// credentials against. The bundled table is generated with this too
// (scripts/generate-backends.mjs), so a newer rclone's table is built the same way.
import type { Backend, BackendOption, BackendTable } from "./backend-types.js";

/** One backend as `rclone config providers` prints it (the fields cloudsync reads). */
export interface RcloneProvider {
  Name: string;
  Prefix: string;
  Description: string;
  Options: RcloneProviderOption[];
}

export interface RcloneProviderOption {
  Name: string;
  Help: string;
  Provider: string;
  Type: string;
  Required: boolean;
  IsPassword: boolean;
  Exclusive: boolean;
  Advanced: boolean;
  DefaultStr: string;
  Examples?: { Value: string; Help: string }[] | null;
}

/** One option with rclone's per-provider repetitions merged. */
export interface MergedOption {
  name: string;
  help: string;
  rcloneType: string;
  required: boolean;
  password: boolean;
  /** Only the examples are allowed. */
  exclusive: boolean;
  advanced: boolean;
  examples: { Value: string; Help: string }[];
  defaultStr: string;
}

// Backends that wrap other remotes by name; cloudsync builds crypt itself and
// the others make no sense as a task's storage.
const WRAPPER_BACKENDS = new Set(["alias", "crypt", "cache", "chunker", "combine", "compress", "hasher", "union", "memory"]);

// rclone does not say which backends keep data in buckets; a task on these needs `bucket`.
const BUCKET_BACKENDS = new Set(["s3", "b2", "azureblob", "google cloud storage", "swift", "oracleobjectstorage", "qingstor", "storj"]);

// Options that hold secrets although rclone does not obscure them: named for one,
// or carrying one (headers such as "Authorization,Bearer …"). A URL with a
// password in it is secret whatever its option's name (see src/secrets).
const SENSITIVE_NAME = /(^|_)(secret|token|password|pass|key|credentials)$|^(key_pem|sas_url|service_account_credentials|access_key_id|sse_customer_key_base64|headers)$/;

/** Whether an option's name says it holds a secret (true/false options never do). */
export function isSensitiveName(option: string, rcloneType = "string"): boolean {
  return rcloneType !== "bool" && SENSITIVE_NAME.test(option);
}

/** The backends a credential may name: rclone's, without the wrappers, by name. */
export function storageProviders(providers: readonly RcloneProvider[]): RcloneProvider[] {
  return providers.filter((b) => !WRAPPER_BACKENDS.has(b.Name)).sort((a, b) => a.Name.localeCompare(b.Name));
}

export function firstParagraph(help: string): string {
  return help.split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").trim();
}

// rclone lists some options once per provider (s3 `region`, koofr `password`); merge them.
export function mergeOptions(backend: RcloneProvider): MergedOption[] {
  const providerValues = (backend.Options.find((o) => o.Name === "provider")?.Examples ?? []).map((e) => e.Value);
  const byName = new Map<string, RcloneProviderOption[]>();
  for (const option of backend.Options) byName.set(option.Name, [...(byName.get(option.Name) ?? []), option]);
  return [...byName.values()].map((occurrences) => {
    const first = occurrences.find((o) => !o.Provider) ?? occurrences[0]!;
    const coveredProviders = new Set(occurrences.flatMap((o) => (o.Provider ?? "").split(",")));
    // An option rclone calls required but gives a default (newer rclones do) need not be written.
    const required =
      occurrences.every((o) => o.Required && (o.DefaultStr ?? "") === "") &&
      (occurrences.some((o) => !o.Provider) || (providerValues.length > 0 && providerValues.every((p) => coveredProviders.has(p))));
    const examples: { Value: string; Help: string }[] = [];
    for (const o of occurrences) for (const e of o.Examples ?? []) if (!examples.some((x) => x.Value === e.Value)) examples.push(e);
    return {
      name: first.Name,
      help: firstParagraph(first.Help ?? ""),
      rcloneType: first.Type,
      required,
      password: occurrences.some((o) => o.IsPassword),
      exclusive: occurrences.every((o) => o.Exclusive) && examples.length > 0,
      advanced: occurrences.every((o) => o.Advanced),
      examples,
      defaultStr: first.DefaultStr ?? "",
    };
  });
}

export function isBucketBased(backend: RcloneProvider): boolean {
  return BUCKET_BACKENDS.has(backend.Name);
}

/** The names `type:` accepts for a backend: rclone's name, and its prefix where that differs (`gcs`). */
export function typeNames(backend: RcloneProvider): string[] {
  return backend.Prefix !== backend.Name ? [backend.Name, backend.Prefix] : [backend.Name];
}

export function tableOption(option: MergedOption): BackendOption {
  const entry: BackendOption = { rcloneType: option.rcloneType };
  if (option.required) entry.required = true;
  if (option.password) entry.obscure = true;
  if (option.password || isSensitiveName(option.name, option.rcloneType)) entry.sensitive = true;
  if (option.exclusive) entry.choices = option.examples.map((e) => e.Value);
  return entry;
}

/** The table cloudsync checks credentials against, from rclone's own description of its backends. */
export function backendTableFrom(providers: readonly RcloneProvider[]): BackendTable {
  const table: BackendTable = {};
  for (const provider of storageProviders(providers)) {
    const backend: Backend = { aliases: typeNames(provider), bucketBased: isBucketBased(provider), options: {} };
    for (const option of mergeOptions(provider)) backend.options[option.name] = tableOption(option);
    table[provider.Name] = backend;
  }
  return table;
}

/** Whether parsed JSON looks like `rclone config providers` output (a cache or a binary may be anything). */
export function isProviderList(value: unknown): value is RcloneProvider[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (p) =>
        p !== null &&
        typeof p === "object" &&
        typeof (p as RcloneProvider).Name === "string" &&
        typeof (p as RcloneProvider).Prefix === "string" &&
        Array.isArray((p as RcloneProvider).Options) &&
        (p as RcloneProvider).Options.every((o) => o !== null && typeof o === "object" && typeof o.Name === "string" && typeof o.Type === "string"),
    )
  );
}
