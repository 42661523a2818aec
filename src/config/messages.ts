// Every message about a configuration file is worded here, so the wording stays
// consistent and can be reviewed in one place.

const quote = (s: string) => JSON.stringify(s);
const didYouMean = (suggestion: string | undefined) => (suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`);
const list = (items: readonly string[]) => items.join(", ");

export const messages = {
  // Reading the file
  unreadable: (reason: string) => `cannot read the configuration: ${reason}`,
  exists: () => `already exists; cloudsync init never overwrites a file (remove it or pass another --config)`,
  notFound: () => `no such file; create one with "cloudsync init" or point at one with --config`,
  isDirectory: () => `is a directory, not a configuration file; point --config at the YAML file`,
  binary: () => `is not a text file (it contains NUL bytes); a configuration is YAML text`,
  tooLarge: () => `is larger than 64 MiB, more than any configuration (10,000 tasks take ~4 MB); point --config at the YAML file`,
  notUtf8: () => `is not valid UTF-8 text; save the file as UTF-8`,
  empty: () => `the file is empty; it needs at least "version: 1" (run "cloudsync init" for a starter file)`,
  notAMapping: (found: string) => `the top level must be a mapping of version, settings, credentials and tasks, not ${found}`,

  // YAML
  loneCarriageReturns: () => `the file ends lines with a carriage return alone (as classic Mac OS did), which YAML does not read as a line end: save it with LF (or CRLF) line ends`,
  yamlSyntax: (detail: string) => `YAML syntax: ${detail.replace(/\s+/g, " ").trim()}`,
  duplicateKey: (key: string) => `duplicate key ${quote(key.trim())}: a key may appear only once in a mapping`,
  badKey: () => `keys must be plain strings`,
  badAlias: (alias: string) => `alias *${alias} does not refer to an anchor defined before it (or refers to itself)`,
  tooDeep: () => `the file nests too deeply to be read (hundreds of levels); a configuration needs only a few`,
  tooManyNodes: (limit: number) => `the file expands to more than ${limit} values (aliases nested too deep?)`,

  // Interpolation
  unclosedReference: () => `"\${" is not closed by "}"; write "$\${" for a literal "\${"`,
  badReference: (body: string) =>
    `${quote("${" + body + "}")} is not a valid reference: use \${NAME}, \${NAME:-default}, \${file:/absolute/path} or \${credential:NAME}; write "$\${" for a literal "\${"`,
  unsetVariable: (name: string) => `environment variable ${name} is not set (use \${${name}:-default} to give a default)`,
  fileReferenceNotAbsolute: (path: string) => `\${file:${path}} needs an absolute path`,
  fileReferenceUnreadable: (path: string, reason: string) => `cannot read ${path} for \${file:…}: ${reason}`,
  badCredentialName: (name: string) => `${quote(name)} is not a systemd credential's name (letters, digits, "_", ".", "@" and "-")`,
  credentialUnreadable: (name: string, fromService: boolean, reasons: readonly string[]) =>
    fromService
      ? `cannot read systemd credential ${name}: ${reasons.join("; ")} (does the unit say LoadCredential=${name}:…?)`
      : `cannot read systemd credential ${name}: $CREDENTIALS_DIRECTORY is not set (cloudsync was not started by systemd with LoadCredential=${name}:…) and systemd's credential stores do not have it (${reasons.join("; ")})`,

  // Shape (schema)
  unknownKey: (key: string, where: string, suggestion?: string) => `unknown key ${quote(key)} in ${where}${didYouMean(suggestion)}`,
  missingKey: (key: string, where: string) => `${where} is missing required key ${quote(key)}`,
  wrongType: (field: string, expected: string) => `${quote(field)} must be ${expected}`,
  notAllowed: (field: string, value: string, allowed: readonly string[], suggestion?: string) =>
    `${quote(field)} cannot be ${quote(value)}${suggestion ? `; did you mean ${quote(suggestion)}?` : `; it must be one of: ${list(allowed)}`}`,
  unknownBackend: (type: string, suggestion: string | undefined, rcloneVersion: string) =>
    `unknown backend type ${quote(type)}${didYouMean(suggestion)} (rclone ${rcloneVersion} has no such backend; see https://rclone.org/overview/)`,
  unknownOption: (option: string, where: string, suggestion: string | undefined, backend: string, rcloneVersion: string) =>
    `unknown key ${quote(option)} in ${where}${suggestion === undefined ? ` (rclone ${rcloneVersion}'s ${backend} backend has no such option)` : didYouMean(suggestion)}`,
  unsupportedVersion: (version: string) => `unsupported version ${version}: this cloudsync reads version 1`,
  badName: (kind: string, name: string) =>
    `${kind} name ${quote(name)} is not valid: use lower-case letters, digits, "_" and "-", starting with a letter or digit (at most 64 characters)`,
  outOfRange: (field: string, detail: string) => `${quote(field)} ${detail}`,

  // Meaning (rules)
  unknownCredential: (name: string, suggestion: string | undefined, known: readonly string[]) =>
    `unknown credential ${quote(name)}${didYouMean(suggestion)}${suggestion || known.length === 0 ? "" : ` (defined: ${list(known)})`}${known.length === 0 ? " (no credentials are defined)" : ""}`,
  bucketRequired: (credential: string, type: string) =>
    `credential ${quote(credential)} (type ${type}) keeps data in buckets: add "bucket" ("cloudsync buckets list ${credential}" shows them)`,
  bucketNotApplicable: (credential: string, type: string) =>
    `"bucket" does not apply to credential ${quote(credential)} (type ${type} has no buckets); put the remote directory in "folder"`,
  unknownSchedule: (text: string) =>
    `schedule ${quote(text)} is not a preset (hourly, daily, weekly, monthly) nor a cron expression of 5 or 6 fields`,
  badCronFieldCount: (count: number) =>
    `a cron schedule has 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, not ${count}`,
  badCron: (expression: string, reason: string) => `invalid cron schedule ${quote(expression)}: ${reason}`,
  badScheduleField: (field: string, value: string, reason: string) => `invalid ${field} ${quote(value)} in schedule: ${reason}`,
  badBandwidth: (rate: string) =>
    `invalid bandwidth ${quote(rate)}: use a number with an optional unit b, k, M, G, T or P (e.g. 512k, 10M), UP:DOWN, or "off"`,
  badBwlimitTime: (time: string) => `invalid time ${quote(time)}: use HH:MM (00:00 to 23:59), optionally after a weekday as in Mon-08:00`,
  badBwlimitEntry: (entry: string) => `invalid timetable entry ${quote(entry)}: use TIME,RATE as in 08:00,512k`,
  bwlimitOrder: (time: string, previous: string) => `times must be strictly ascending: ${quote(time)} does not come after ${quote(previous)}`,
  localFolderNotAbsolute: (credential: string) =>
    `credential ${quote(credential)} is the local disk: "folder" must be an absolute directory (a relative one would depend on where cloudsync runs)`,
  snapshotNeedsPush: () => `"snapshot" works only with direction push: a pull writes into path, so there is nothing to snapshot`,
  snapshotWithMove: () => `"snapshot" cannot be used with transfer_mode move: move deletes the source files, which a read-only snapshot cannot do`,
  pathNotAbsolute: (field: string, path: string) => `${quote(field)} must be an absolute path, not ${quote(path)}`,
  pathOutsideRoots: (path: string, roots: readonly string[]) => `path ${quote(path)} is outside settings.allowed_roots (${list(roots)})`,
  badTimezone: (zone: string, suggestion?: string) =>
    `unknown time zone ${quote(zone)}${suggestion ? didYouMean(suggestion) : "; use an IANA name such as Europe/Berlin or UTC"}`,
  badOptionValue: (option: string, rcloneType: string, value: string) =>
    `${quote(option)} must be ${RCLONE_TYPE_WORDS[rcloneType] ?? rcloneType}, not ${quote(value)}`,
  rcloneNotFound: (command: string) =>
    `${quote(command)} is not a program on this machine (${command.includes("/") ? "no executable file there" : "not found on PATH"}): every run would fail until it is installed or the setting is corrected`,
  localPathMissing: (task: string, path: string, direction: "push" | "pull", parent: string) =>
    direction === "push"
      ? `${path} does not exist on this machine: task ${quote(task)} fails until it does (a pre_script may mount it)`
      : `neither ${path} nor ${parent} exists on this machine: the first run of task ${quote(task)} would make both (is a disk not mounted?)`,
  localPathNotDirectory: (task: string, path: string) => `${path} is not a directory on this machine: task ${quote(task)} fails until it is`,
  syncIgnoringErrors: () =>
    `--ignore-errors makes a sync delete at the destination even when reading the source failed (a failing disk then looks like deleted files); rclone leaves deletions out after such errors without it`,
  ownedFlag: (flag: string, instead: string | null) =>
    flag === "--"
      ? `rclone_args may not contain "--": it would turn cloudsync's own flags into file names`
      : `rclone_args may not contain ${flag}: cloudsync sets it itself${instead ? `; use ${instead} instead` : ""}`,
  protectedPlace: (field: string, path: string, what: string, action: string) =>
    `${quote(field)} is ${quote(path)}, ${what}: cloudsync never lets a task ${action} there`,
  folderOverlapsPath: (folder: string, path: string, how: "equal" | "inside" | "contains") =>
    `with a local credential, "folder" may not ${how === "equal" ? "be" : how === "inside" ? "lie inside" : "contain"} "path" (${quote(folder)} and ${quote(path)}): every run would copy the task into itself`,
  overlappingDestination: (task: string, other: string, nested: boolean) =>
    `task ${quote(task)} writes into ${nested ? "a place inside the destination of" : "the same place as"} task ${quote(other)}; a sync of either deletes what the other wrote`,
  controlCharacter: (field: string) =>
    `${quote(field)} contains a control character or line separator (a newline, tab, NUL, U+2028 or similar), which would start a new line in exported units and manifests`,
  badPattern: (field: string, pattern: string, reason: string) => `${quote(field)} ${quote(pattern)} is not a pattern rclone accepts: ${reason}`,
  patternSpaces: (field: string, pattern: string) =>
    `${quote(field)} ${quote(pattern)} starts or ends with a space, which rclone drops (it reads ${quote(pattern.trim())}); remove it to avoid surprises`,
  readOnlyRemote: (credential: string, type: string) =>
    `credential ${quote(credential)} (type ${type}) is read-only: a push cannot write to it; use direction pull`,
  maxDeleteWithoutSync: (mode: string) =>
    `"max_delete" limits what a sync deletes at the destination; with transfer_mode ${mode} it has no effect`,
  versionsFlag: (flag: string) =>
    flag === "--delete-excluded"
      ? `rclone_args may not contain --delete-excluded with "versions": it would delete the kept versions (.cloudsync-versions is excluded from every transfer)`
      : `rclone_args may not contain ${flag} with "versions": cloudsync keeps what runs replace itself (--backup-dir into .cloudsync-versions)`,
  versionsKeepNothing: (keep: string) => `"versions.keep" ${quote(keep)} keeps nothing: give a duration such as 30d`,
  credentialOrDestinations: () => `a task needs "credential" (where it writes or reads), or "destinations" (several places a push writes to)`,
  destinationsOnPull: () => `"destinations" are for a push (one source, several copies); a pull reads from one credential`,
  destinationsReplaceOwn: (field: string) => `with "destinations", each destination names its own ${quote(field)}: the task has none of its own`,
  sameDestination: (destination: string, other: string, nested: boolean) =>
    `destination ${quote(destination)} writes into ${nested ? "a place inside that of" : "the same place as"} destination ${quote(other)} of the same task: each run would overwrite the other`,
  maxDeleteShare: (value: string) => `"max_delete" ${quote(value)} is more than 100% of the destination's files`,
  rebootSchedule: () => `"@reboot" is not a schedule cloudsync keeps: use catchup: true to run a missed schedule when the service starts`,
  // Notifications and metrics
  unknownChannel: (name: string, suggestion: string | undefined, known: readonly string[]) =>
    `unknown notification channel ${quote(name)}${didYouMean(suggestion)}${suggestion || known.length === 0 ? "" : ` (defined: ${list(known)})`}${known.length === 0 ? " (no channels are defined under notifications)" : ""}`,
  channelNeeds: (channel: string, type: string, key: string) => `channel ${quote(channel)} (type ${type}) needs ${quote(key)}`,
  channelOptionNotForType: (key: string, type: string, allowed: readonly string[]) => `${quote(key)} is not an option of channels of type ${type} (they take: ${list(allowed)})`,
  taskPlaceholderOutsideHealthchecks: (type: string) => `"{task}" stands for the task's name only in healthchecks URLs, not in a ${type} channel's`,
  badChannelUrl: (url: string) => `${quote(url)} is not an http:// or https:// URL`,
  badSmtpUrl: (url: string) => `${quote(url)} is not an SMTP server: write smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS)`,
  healthchecksEvents: () => `healthchecks channels always get start, success and failure of runs (a held run as a failure), and take no "events"`,
  duplicateEvent: (event: string) => `${quote(event)} is listed twice`,
  webNeedsToken: (value: string) => `the dashboard on ${quote(value)} would be reachable from other machines: set settings.web.token (a long password, through \${VAR}), or listen on 127.0.0.1`,
  badListen: (value: string) => `${quote(value)} is not an address to listen on: write host:port (127.0.0.1:9184) or :port`,
  literalSecret: (field: string) =>
    `${quote(field)} is written in the file in plain text; keep secrets out of version control with \${VAR} or \${file:/path}`,
};

const RCLONE_TYPE_WORDS: Record<string, string> = {
  bool: "true or false",
  Tristate: "true or false",
  int: "a whole number",
  SizeSuffix: "a size such as 64M, 1G or off",
  Duration: "a duration such as 30s, 5m or 1h30m",
};
