// TrueNAS cloud sync tasks (the JSON of `midclt call cloudsync.query` and
// `cloudsync.credentials.query`, 22.12 to 25.x) as a cloudsync.yaml. Pure:
// the caller reads the files and writes what comes out.
import { stringify } from "yaml";
import { findBackend, isSensitiveOption } from "../model/backends.js";
import { asLiteral } from "../config/interpolate.js";
import { ownedFlag, takesValue } from "../config/safety.js";
import { shellWords } from "./shell-words.js";

export interface ImportWarning {
  /** The task (its new name) or credential it concerns, if one. */
  about: string | null;
  message: string;
}

export interface Imported {
  /** The configuration file. */
  text: string;
  /** Values of the ${VAR} references, for those the JSON holds. */
  env: Record<string, string>;
  /** References whose value the JSON did not hold (`********`): to be filled in. */
  placeholders: string[];
  warnings: ImportWarning[];
  /** Each imported task's local path, for the caller to look for. */
  paths: { task: string; path: string }[];
}

/** The JSON is not what `midclt call cloudsync.query` prints. */
export class ImportError extends Error {}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => value !== null && typeof value === "object" && !Array.isArray(value);
const REDACTED = "********";

/** A `${NAME}` the import writes (a secret kept apart), as opposed to TrueNAS's own text. */
class Reference {
  constructor(readonly name: string) {}
}

/**
 * An entry's values as the file must hold them: TrueNAS's text literally, with `$${` for each `${`
 * (cloudsync would resolve a `${HOME}` in a path or a description; the scripts are the shell's),
 * and the import's own references as references.
 */
function asWritten(value: unknown, key?: string): unknown {
  if (value instanceof Reference) return `\${${value.name}}`;
  if (typeof value === "string") return key === "pre_script" || key === "post_script" ? value : asLiteral(value);
  if (Array.isArray(value)) return value.map((item) => asWritten(item));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([inner, item]) => [inner, asWritten(item, inner)]));
  return value;
}

/** Text from the JSON on a comment line of its own: a newline in a name must not end the comment and start YAML. */
const commentText = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");

interface TrueNasCredential {
  id: number;
  name: string;
  provider: string;
  fields: Fields;
}

/** Both shapes: `{provider: "S3", attributes: {…}}` (to 24.10) and `{provider: {type: "S3", …}}` (25.04 on). */
function credentialOf(raw: unknown): TrueNasCredential | null {
  if (!isObject(raw) || typeof raw.id !== "number") return null;
  const name = typeof raw.name === "string" ? raw.name : `credential ${raw.id}`;
  if (typeof raw.provider === "string") return { id: raw.id, name, provider: raw.provider.toUpperCase(), fields: isObject(raw.attributes) ? raw.attributes : {} };
  if (isObject(raw.provider) && typeof raw.provider.type === "string") {
    const { type, ...fields } = raw.provider;
    return { id: raw.id, name, provider: String(type).toUpperCase(), fields };
  }
  return null;
}

const present = (value: unknown) => value !== undefined && value !== null && value !== "";
const pick = (fields: Fields, ...names: string[]) => Object.fromEntries(names.filter((n) => present(fields[n])).map((n) => [n, fields[n]]));

interface Mapped {
  /** rclone's backend. */
  type: string;
  options: Fields;
  /** Extra rclone flags the task needs. */
  args?: string[];
}

const TOKEN_FIELDS = ["client_id", "client_secret", "token"];

/**
 * What TrueNAS hands rclone for a credential and a task's attributes
 * (plugins/cloud/rclone/remote/*.py): credential fields are rclone options,
 * some providers add or rewrite some.
 */
const PROVIDERS: Record<string, (fields: Fields, attributes: Fields) => Mapped> = {
  S3: (f, a) => {
    const options: Fields = { provider: present(f.provider) ? f.provider : "Other", ...pick(f, "access_key_id", "secret_access_key", "endpoint", "force_path_style") };
    const credentialRegion = typeof f.region === "string" ? f.region.trim() : "";
    if (f.skip_region === true) options.region = f.signatures_v2 === true ? "other-v2-signature" : "";
    else if (credentialRegion) options.region = present(a.region) ? a.region : credentialRegion;
    else options.region = present(a.region) ? a.region : "us-east-1";
    if (options.region === "") delete options.region;
    if (present(a.encryption)) options.server_side_encryption = a.encryption;
    if (present(a.storage_class)) options.storage_class = a.storage_class;
    const parts = typeof f.max_upload_parts === "number" ? f.max_upload_parts : 10_000;
    if (typeof options.endpoint === "string" && options.endpoint.replace(/\/+$/, "").endsWith(".scw.cloud") && parts === 10_000) options.max_upload_parts = 1000;
    else if (parts !== 10_000) options.max_upload_parts = parts;
    return { type: "s3", options };
  },
  STORJ_IX: (f) => ({ type: "s3", options: { provider: "Other", endpoint: present(f.endpoint) ? f.endpoint : "https://gateway.storjshare.io", ...pick(f, "access_key_id", "secret_access_key"), chunk_size: "64M", disable_http2: true, upload_cutoff: "64M" } }),
  B2: (f, a) => {
    const options: Fields = pick(f, "account", "key");
    const args: string[] = [];
    if (typeof a.b2_chunk_size === "number") {
      options.chunk_size = `${a.b2_chunk_size}M`;
      if (a.b2_chunk_size > 200) options.upload_cutoff = `${a.b2_chunk_size}M`;
      if (a.b2_chunk_size > 128) args.push(`--multi-thread-cutoff=${a.b2_chunk_size * 2 + 1}M`);
    }
    return { type: "b2", options, args };
  },
  AZUREBLOB: (f) => ({ type: "azureblob", options: pick(f, "account", "key", "endpoint") }),
  BOX: (f) => ({ type: "box", options: pick(f, ...TOKEN_FIELDS) }),
  DROPBOX: (f) => ({ type: "dropbox", options: pick(f, ...TOKEN_FIELDS) }),
  YANDEX: (f) => ({ type: "yandex", options: pick(f, ...TOKEN_FIELDS) }),
  GOOGLE_PHOTOS: (f) => ({ type: "google photos", options: pick(f, ...TOKEN_FIELDS) }),
  PCLOUD: (f) => ({ type: "pcloud", options: pick(f, ...TOKEN_FIELDS, "hostname") }),
  GOOGLE_DRIVE: (f, a) => ({
    type: "drive",
    options: { ...pick(f, ...TOKEN_FIELDS, "team_drive"), ...(present(f.team_drive) ? {} : { root_folder_id: "root" }), ...(a.acknowledge_abuse === true ? { acknowledge_abuse: true } : {}) },
  }),
  GOOGLE_CLOUD_STORAGE: (f, a) => {
    const json = typeof f.service_account_credentials === "string" ? f.service_account_credentials.replace(/[\r\n]/g, "") : null;
    let project: unknown;
    try {
      project = json && json !== REDACTED ? (JSON.parse(json) as Fields).project_id : undefined;
    } catch {
      project = undefined;
    }
    return { type: "google cloud storage", options: { ...(json ? { service_account_credentials: json } : {}), ...(present(project) ? { project_number: project } : {}), ...(a.bucket_policy_only === true ? { bucket_policy_only: true } : {}) } };
  },
  ONEDRIVE: (f) => {
    const kinds: Fields = { PERSONAL: "personal", BUSINESS: "business", DOCUMENT_LIBRARY: "documentLibrary" };
    return { type: "onedrive", options: { ...pick(f, ...TOKEN_FIELDS, "drive_id"), ...(present(kinds[String(f.drive_type)]) ? { drive_type: kinds[String(f.drive_type)] } : {}) } };
  },
  FTP: (f) => ({ type: "ftp", options: pick(f, "host", "port", "user", "pass") }),
  SFTP: (f) => ({ type: "sftp", options: pick(f, "host", "port", "user", "pass") }),
  HTTP: (f) => ({ type: "http", options: pick(f, "url") }),
  OPENSTACK_SWIFT: (f) => ({
    type: "swift",
    options: pick(f, "user", "key", "auth", "user_id", "domain", "tenant", "tenant_id", "tenant_domain", "region", "storage_url", "auth_token", "application_credential_id", "application_credential_name", "application_credential_secret", "auth_version", "endpoint_type"),
  }),
  WEBDAV: (f) => ({ type: "webdav", options: { ...pick(f, "url", "user", "pass"), ...(present(f.vendor) ? { vendor: String(f.vendor).toLowerCase() } : {}) } }),
};

/** A name cloudsync accepts, made from any text: `Photos to B2!` → `photos-to-b2`. */
export function nameFrom(text: string, fallback: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 56)
    .replace(/[-_]+$/, "");
  return slug || fallback;
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** TrueNAS's bandwidth (bytes per second, null = no limit) in rclone's units, exactly. */
export function rateOf(bytes: unknown): string {
  if (bytes === null || bytes === undefined || bytes === 0) return "off";
  const n = Number(bytes);
  if (n % 1_048_576 === 0) return `${n / 1_048_576}M`;
  if (n % 1024 === 0) return `${n / 1024}k`;
  return `${n}B`;
}

/** A script as TrueNAS runs it: one without `#!` is run by bash, so it says so now (cloudsync runs those with /bin/sh). */
function script(text: unknown): string | undefined {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  return /^\s*#!/.test(text) ? text : `#!/bin/bash\n${text}`;
}

/** Two spaces before each line, at "\n" only (a /^/m pattern also starts lines after U+2028 and U+2029, inside values). */
const indented = (text: string) =>
  text
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");

const varName = (...parts: string[]) => parts.join("_").toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");

/** Converts TrueNAS's JSON. `credentials` is the output of cloudsync.credentials.query, when given (tasks embed theirs too). */
/** What a destination takes from a task: where it writes, and the settings it may set for itself. */
const PLACE_FIELDS = ["credential", "bucket", "folder", "encryption"];
const OVERRIDABLE_FIELDS = ["transfer_mode", "bwlimit", "transfers", "rclone_args"];
const sameValue = (a: unknown, b: unknown) => JSON.stringify(asWritten(a)) === JSON.stringify(asWritten(b));

/**
 * Pushes of the same path on the same schedule, with the same scripts, filters and other source
 * settings, as one task with a destination for each: one snapshot and one pair of scripts per run.
 */
function mergedDestinations(blocks: { name: string; comment: string; entry: Fields }[], warnings: ImportWarning[]): { name: string; comment: string; entry: Fields }[] {
  const sourceKey = (entry: Fields) =>
    JSON.stringify(
      Object.entries(entry)
        .filter(([key]) => !PLACE_FIELDS.includes(key) && !OVERRIDABLE_FIELDS.includes(key) && key !== "description")
        .map(([key, value]) => [key, asWritten(value)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  const groups = new Map<string, typeof blocks>();
  for (const block of blocks) {
    const key = block.entry.direction === "push" && block.entry.schedule !== undefined ? sourceKey(block.entry) : `alone:${block.name}`;
    groups.set(key, [...(groups.get(key) ?? []), block]);
  }
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    const [first] = group as [(typeof blocks)[number]];
    const entry: Fields = {};
    for (const [key, value] of Object.entries(first.entry)) if (!PLACE_FIELDS.includes(key) && !OVERRIDABLE_FIELDS.includes(key)) entry[key] = value;
    // A setting all of them share stays the task's; one that differs goes to each destination.
    const shared = OVERRIDABLE_FIELDS.filter((key) => group.every((b) => sameValue(b.entry[key], first.entry[key])));
    for (const key of shared) if (first.entry[key] !== undefined) entry[key] = first.entry[key];
    entry.destinations = Object.fromEntries(
      group.map((b) => [b.name, Object.fromEntries(Object.entries(b.entry).filter(([key]) => PLACE_FIELDS.includes(key) || (OVERRIDABLE_FIELDS.includes(key) && !shared.includes(key))))]),
    );
    const names = group.map((b) => b.name);
    warnings.push({ about: first.name, message: `tasks ${names.join(", ")} (the same path and schedule) are one task with a destination each: one snapshot and one run of the scripts for all of them` });
    return { name: first.name, comment: group.map((b) => b.comment).join("; "), entry };
  });
}

export interface ImportTrueNasOptions {
  /** Pushes of one path on one schedule become one task with several destinations. */
  mergeDestinations?: boolean;
}

export function importTrueNas(tasksJson: unknown, credentialsJson: unknown = null, options: ImportTrueNasOptions = {}): Imported {
  if (!Array.isArray(tasksJson)) throw new ImportError("the tasks file is not a list: give the output of `midclt call cloudsync.query`");
  if (credentialsJson !== null && !Array.isArray(credentialsJson)) throw new ImportError("the credentials file is not a list: give the output of `midclt call cloudsync.credentials.query`");
  const warnings: ImportWarning[] = [];
  const env: Record<string, string> = {};
  const placeholders = new Set<string>();
  const known = new Map<number, TrueNasCredential>();
  for (const raw of credentialsJson ?? []) {
    const credential = credentialOf(raw);
    if (credential) known.set(credential.id, credential);
  }

  // One variable per secret: names that spell alike ("Photos B2", "Photos_B2") get a number, never one shared variable.
  const variableOf = new Map<string, string>();
  const ownerOf = new Map<string, string>();
  /** The variable of the secret `owner` names (a TrueNAS credential's option, a task's field), made from `parts`. */
  const variable = (owner: string, ...parts: string[]): string => {
    const known = variableOf.get(owner);
    if (known !== undefined) return known;
    const base = varName(...parts);
    let name = base;
    for (let n = 2; ownerOf.has(name); n++) name = `${base}_${n}`;
    ownerOf.set(name, owner);
    variableOf.set(owner, name);
    return name;
  };

  /** A secret as a reference; its value kept for the env file, or a placeholder when TrueNAS redacted it. */
  const secret = (name: string, value: unknown, about: string): Reference => {
    const text = String(value);
    if (text === REDACTED) {
      if (!placeholders.has(name)) warnings.push({ about, message: `${name}: TrueNAS gave "${REDACTED}" (the export was made without full admin rights); fill in the value` });
      placeholders.add(name);
    } else env[name] = text;
    return new Reference(name);
  };

  const credentialNames = new Set<string>();
  const taskNames = new Set<string>();
  /** Each TrueNAS credential's name here, and the option sets made from it (tasks with other attributes need their own). */
  const made = new Map<number, { base: string; variants: { key: string; name: string; entry: Fields }[] }>();
  const credentialBlocks: { name: string; comment: string; entry: Fields }[] = [];
  const taskBlocks: { name: string; comment: string; entry: Fields }[] = [];
  const paths: Imported["paths"] = [];

  // A list of anything but task objects is some other JSON than the export (the credentials file, say).
  if (tasksJson.length > 0 && !tasksJson.some(isObject)) throw new ImportError("the tasks file holds no tasks (objects): give the output of `midclt call cloudsync.query`");
  for (const [index, raw] of tasksJson.entries()) {
    if (!isObject(raw)) {
      warnings.push({ about: null, message: `entry ${index + 1} of the tasks file is not a task (an object); it was left out` });
      continue;
    }
    const id = typeof raw.id === "number" ? raw.id : taskBlocks.length + 1;
    const description = typeof raw.description === "string" ? raw.description : "";
    const name = unique(nameFrom(description, `task-${id}`), taskNames);
    const credential = credentialOf(raw.credentials) ?? (typeof raw.credentials === "number" ? known.get(raw.credentials) : undefined) ?? (isObject(raw.credentials) && typeof raw.credentials.id === "number" ? known.get(raw.credentials.id) : undefined);
    if (!credential) {
      warnings.push({ about: name, message: `TrueNAS task ${id} names a credential that is in neither file; pass --credentials with the output of cloudsync.credentials.query. The task was left out` });
      continue;
    }
    const map = PROVIDERS[credential.provider];
    const attributes = isObject(raw.attributes) ? raw.attributes : {};
    if (!map || !findBackend(map(credential.fields, attributes).type)) {
      warnings.push({ about: name, message: `TrueNAS task ${id} uses a ${credential.provider} credential, which the rclone cloudsync runs does not support; the task was left out` });
      continue;
    }
    const mapped = map(credential.fields, attributes);
    const backend = findBackend(mapped.type)!;

    // The credential: one per TrueNAS credential and set of task attributes that reach its options.
    let entry = made.get(credential.id);
    if (!entry) {
      entry = { base: unique(nameFrom(credential.name, `credential-${credential.id}`), credentialNames), variants: [] };
      made.set(credential.id, entry);
    }
    const key = JSON.stringify(mapped.options);
    let variant = entry.variants.find((v) => v.key === key);
    if (!variant) {
      const credentialName = entry.variants.length === 0 ? entry.base : unique(`${entry.base}-${name}`, credentialNames);
      const options: Fields = { type: mapped.type };
      for (const [option, value] of Object.entries(mapped.options)) {
        options[option] = isSensitiveOption(mapped.type, option, value) || value === REDACTED ? secret(variable(`credential ${credential.id} ${option}`, entry.base, option), value, credentialName) : value;
      }
      if (credential.provider === "SFTP" && present(credential.fields.private_key)) {
        options.key_file = `/path/to/the/private/key/of/${credentialName}`;
        warnings.push({ about: credentialName, message: `its SSH key is held in TrueNAS's keychain (keychain credential ${String(credential.fields.private_key)}), which the JSON does not carry: save the private key and set key_file (a placeholder now)` });
      }
      variant = { key, name: credentialName, entry: options };
      entry.variants.push(variant);
      credentialBlocks.push({ name: credentialName, comment: `TrueNAS credential ${credential.id} "${credential.name}" (${credential.provider})${entry.variants.length > 1 ? `, with the attributes of task ${id}` : ""}`, entry: options });
    }

    const task: Fields = {};
    if (description) task.description = description;
    task.direction = String(raw.direction ?? "PUSH").toLowerCase();
    task.transfer_mode = String(raw.transfer_mode ?? "COPY").toLowerCase();
    task.path = typeof raw.path === "string" ? raw.path : "/mnt";
    paths.push({ task: name, path: String(task.path) });
    task.credential = variant.name;
    if (backend.bucketBased) task.bucket = present(attributes.bucket) ? attributes.bucket : "";
    if (present(attributes.folder)) task.folder = attributes.folder;
    if (isObject(raw.schedule)) {
      const s = raw.schedule;
      task.schedule = [s.minute ?? "00", s.hour ?? "*", s.dom ?? "*", s.month ?? "*", s.dow ?? "*"].map(String).join(" ");
    }
    if (raw.enabled === false) task.enabled = false;
    if (raw.snapshot === true) task.snapshot = true;
    if (raw.create_empty_src_dirs === true) task.create_empty_src_dirs = true;
    if (raw.follow_symlinks === true) task.follow_symlinks = true;
    if (attributes.fast_list === true) task.fast_list = true;
    if (typeof raw.transfers === "number") task.transfers = raw.transfers;
    if (Array.isArray(raw.bwlimit) && raw.bwlimit.length > 0) {
      task.bwlimit = raw.bwlimit.filter(isObject).map((b) => ({ time: String(b.time), bandwidth: rateOf(b.bandwidth) }));
    }
    if (Array.isArray(raw.exclude) && raw.exclude.length > 0) task.exclude = raw.exclude;
    if (Array.isArray(raw.include) && raw.include.length > 0) task.include = raw.include;
    const pre = script(raw.pre_script);
    const post = script(raw.post_script);
    if (pre) task.pre_script = pre;
    if (post) task.post_script = post;
    const args = [...(mapped.args ?? [])];
    if (typeof raw.args === "string" && raw.args.trim() !== "") {
      const words = shellWords(raw.args);
      if (words === null) warnings.push({ about: name, message: `its extra rclone arguments have an unclosed quote and were left out: ${raw.args}` });
      else {
        for (let i = 0; i < words.length; i++) {
          const word = words[i]!;
          const owned = ownedFlag(word);
          if (!owned) {
            args.push(word);
            continue;
          }
          // Its value goes with it (`--exclude foo`, `--max-delete 10`): left alone it would be an argument of its own.
          const value = !word.includes("=") && takesValue(owned.flag) && i + 1 < words.length ? words[++i] : undefined;
          const what = value === undefined ? word : `${word} ${value}`;
          warnings.push({ about: name, message: `its extra argument ${what} is a flag cloudsync sets itself${owned.instead ? ` (${owned.instead})` : ""}; left out` });
        }
      }
    }
    if (args.length > 0) task.rclone_args = args;
    if (raw.encryption === true) {
      const encryption: Fields = { password: secret(variable(`task ${name} password`, name, "encryption_password"), raw.encryption_password ?? "", name) };
      if (present(raw.encryption_salt)) encryption.salt = secret(variable(`task ${name} salt`, name, "encryption_salt"), raw.encryption_salt, name);
      encryption.filename_encryption = raw.filename_encryption === true;
      task.encryption = encryption;
    }
    const job = isObject(raw.job) ? raw.job : null;
    const lastJob = job ? `; its last job in TrueNAS: ${String(job.state ?? "?")}${typeof job.time_finished === "object" && job.time_finished && "$date" in job.time_finished ? ` at ${new Date(Number((job.time_finished as Fields).$date)).toISOString()}` : ""} (run history is not imported)` : "";
    taskBlocks.push({ name, comment: `TrueNAS cloud sync task ${id}${lastJob}`, entry: task });
  }

  const block = (blocks: { name: string; comment: string; entry: Fields }[]) =>
    blocks.map((b) => `  # ${commentText(b.comment)}\n${indented(stringify({ [b.name]: asWritten(b.entry) }, { lineWidth: 0 })).trimEnd()}\n`).join("\n");
  const text = [
    "# Imported from TrueNAS by `cloudsync import truenas`. Each entry says where it came from.",
    "# Secrets are ${VAR} references: set them before validate and apply (set -a; . ENV_FILE; set +a).",
    "version: 1",
    "",
    credentialBlocks.length ? `credentials:\n${block(credentialBlocks)}` : "credentials: {}",
    "",
    taskBlocks.length ? `tasks:\n${block(options.mergeDestinations ? mergedDestinations(taskBlocks, warnings) : taskBlocks)}` : "tasks: {}",
  ].join("\n");
  return { text: `${text.trimEnd()}\n`, env, placeholders: [...placeholders], warnings, paths };
}
