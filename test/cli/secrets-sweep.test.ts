// One sweep for every kind of secret a configuration can hold, through every
// output the program has: command output (text and JSON), plans and saved
// plans, run records and logs, the service log, and what scripts receive.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cli, tempDir, testEnv } from "../helpers/cli.js";
import { httpReceiver, smtpReceiver } from "../helpers/receivers.js";
import { writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";

const base = tempDir();
afterAll(async () => {
  await http.close();
  await smtp.close();
  base.remove();
});

/** Every secret, by kind. Each is long and distinctive enough to be found anywhere it leaks. */
const SECRETS = {
  // Quotes, backslashes and line breaks too: a message that quotes a value escapes them.
  S3_SECRET: 's3-secret-"Zq8v1\\Lx0pWm3',
  SFTP_PASS: "sftp-pass-Hn4kT7rQ2c",
  DAV_TOKEN: "dav-bearer-Yb5mK9dS1f",
  DAV_HEADER: "dav-header-Rt6nP3wE8j",
  DAV_URL_PASS: "davurlpass-Qw2eR4tY6u",
  CRYPT_PASS: "crypt-pass-Mk7jH5gF3d",
  CRYPT_SALT: "crypt-salt-Vb9nM1qA4s\nsalt-line-two-Kq3wE5",
  HOOK_KEY: "hookkey-Lp0oK9iJ8uH7yG6t",
  HOOK_TOKEN: 'hook-token-"Tg5rF4\\eD3sW2',
  HC_KEY: "hcpingkey-Nb3vC2xZ1aQ0wE9r",
  SMTP_PASS: "smtp-pass-Gh3jK5lP7z",
  DEST_CRYPT_PASS: "dest-crypt-pass-Wx8cV6bN4m",
  FLEET_KEY: "fleet-key-Jd7hS2kL9pQ4",
};
/**
 * As docker's --env-file keeps it, quotes and all: not a URL, so validate quotes it in its message.
 * It is only ever in edits that are refused, so no applied configuration knows it as a secret: the
 * scripts of the applied tasks may see it (they get the secrets of what is applied withheld).
 */
const REFUSED_SECRET = { SLACK_WEBHOOK: '"https://hooks.slack.com/services/T0kenQuoted/B1x/Zz9"' };
const ENV = { ...SECRETS, ...REFUSED_SECRET };
const PEM_LINES = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQsecretlineone", "QyNTUxOQAAACDi4fo4Nlh-secret-line-two-of-the-key", "-----END OPENSSH PRIVATE KEY-----"];
/** The lines that are the key's own (the BEGIN/END markers are public text). */
const PEM_SECRET_LINES = PEM_LINES.slice(1, 3);

const dir = join(base.path, "ws");
const source = join(base.path, "source");
const envDump = join(base.path, "script-env.json");
const leakFile = join(base.path, "printed-secret");
const outputs: { what: string; text: string }[] = [];
const collect = (what: string, result: { stdout: string; stderr: string }) => outputs.push({ what: `${what} (stdout)`, text: result.stdout }, { what: `${what} (stderr)`, text: result.stderr });

let http: Awaited<ReturnType<typeof httpReceiver>>;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;

function config(cryptPass = "${CRYPT_PASS}") {
  return stringify({
    version: 1,
    settings: { notify: ["hook", "hc", "mail"], fleet: { publish: { credential: "disk", folder: join(base.path, "fleet") }, key: "${FLEET_KEY}", host: "sweep" } },
    notifications: {
      hook: { type: "webhook", url: http.url("/hook/${HOOK_KEY}"), headers: { Authorization: "Bearer ${HOOK_TOKEN}" }, events: ["start", "success", "failure", "config_rejected"] },
      hc: { type: "healthchecks", url: http.url("/ping/${HC_KEY}/{task}") },
      mail: { type: "email", smtp: `smtp://127.0.0.1:${smtp.port}`, user: "alerts", password: "${SMTP_PASS}", from: "cloudsync@example.com", to: ["ops@example.com"], events: ["success", "failure"] },
    },
    credentials: {
      disk: { type: "local" },
      s3: { type: "s3", provider: "Minio", endpoint: "http://127.0.0.1:1", access_key_id: "AKIAPUBLICID", secret_access_key: "${S3_SECRET}" },
      box: { type: "sftp", host: "127.0.0.1", port: 1, user: "someone", pass: "${SFTP_PASS}", key_pem: `\${file:${join(base.path, "key.pem")}}` },
      dav: { type: "webdav", url: "http://davuser:${DAV_URL_PASS}@127.0.0.1:1/dav", vendor: "other", bearer_token: "${DAV_TOKEN}", headers: "X-Api-Key,${DAV_HEADER}" },
    },
    tasks: {
      enc: {
        direction: "push",
        transfer_mode: "sync",
        path: source,
        credential: "disk",
        folder: join(base.path, "vault"),
        encryption: { password: cryptPass, salt: "${CRYPT_SALT}", filename_encryption: true },
        // The script dumps what it gets, and prints a secret it reads from elsewhere.
        pre_script: `#!/usr/bin/env python3\nimport os, json\njson.dump(dict(os.environ), open(${JSON.stringify(envDump)}, "w"))\nprint("leaking:", open(${JSON.stringify(leakFile)}).read())\n`,
      },
      offsite: { direction: "push", transfer_mode: "copy", path: source, credential: "s3", bucket: "b", schedule: "0 3 * * *" },
      // Fails after printing secrets: its failure notifications carry the log's last lines.
      leaky: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(base.path, "leaky"), pre_script: `cat ${leakFile}; exit 1` },
      // A destination's own encryption is as secret as a task's.
      copies: {
        direction: "push",
        transfer_mode: "copy",
        path: source,
        pre_script: `cat ${leakFile}`,
        destinations: { near: { credential: "disk", folder: join(base.path, "near") }, far: { credential: "disk", folder: join(base.path, "far"), encryption: { password: "${DEST_CRYPT_PASS}" } } },
      },
    },
  });
}

const run = async (what: string, args: string[]) => {
  const result = await cli(args, { cwd: dir, env: ENV });
  collect(what, result);
  return result;
};

beforeAll(async () => {
  http = await httpReceiver();
  smtp = await smtpReceiver({ user: "alerts", pass: SECRETS.SMTP_PASS });
  mkdirSync(dir, { recursive: true });
  writeTree(source, { "a.txt": "a", "sub/b.txt": "b" });
  writeFileSync(join(base.path, "key.pem"), `${PEM_LINES.join("\n")}\n`);
  writeFileSync(leakFile, `${SECRETS.S3_SECRET} and ${SECRETS.CRYPT_PASS} and ${SECRETS.DEST_CRYPT_PASS} and ${PEM_SECRET_LINES[0]}`);
  writeFileSync(join(dir, "cloudsync.yaml"), config());

  await run("validate", ["validate"]);
  await run("validate --json", ["validate", "--json"]);
  await run("plan", ["plan", "--out", "saved.plan"]);
  await run("plan --json", ["plan", "--json"]);
  await run("apply", ["apply", "--auto-approve"]);
  await run("run --json", ["run", "enc", "--json"]);
  await run("run (text)", ["run", "enc", "--dry-run"]);
  await run("logs", ["logs", "enc"]);
  await run("run leaky", ["run", "leaky"]);
  await run("logs leaky", ["logs", "leaky"]);
  await run("run copies --json", ["run", "copies", "--json"]);
  await run("logs copies", ["logs", "copies"]);
  await run("notify test hook", ["notify", "test", "hook"]);
  await run("notify test mail --json", ["notify", "test", "mail", "--json"]);
  await run("status", ["status"]);
  await run("status --json", ["status", "--json"]);
  await run("history --json", ["history", "--json"]);
  await run("credentials verify dav", ["credentials", "verify", "dav"]);
  await run("credentials verify dav -v", ["-v", "credentials", "verify", "dav"]);
  await run("credentials verify s3 --json", ["credentials", "verify", "s3", "--json"]);
  await run("ls box", ["ls", "box"]);
  // A changed secret is a change in the plan, shown as (sensitive value).
  writeFileSync(join(dir, "cloudsync.yaml"), config("${CRYPT_SALT}-rotated"));
  await run("plan after rotation", ["plan"]);
  await run("plan --json after rotation", ["plan", "--json"]);
  writeFileSync(join(dir, "cloudsync.yaml"), config());

  // The service, through a run it starts and a rejected edit.
  const watch = spawn(process.execPath, [CLI, "watch"], { cwd: dir, env: testEnv(ENV), stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  watch.stdout.on("data", (d) => (log += d));
  watch.stderr.on("data", (d) => (log += d));
  await until(() => /watching/.test(log), "the service starts");
  // The host's file in the fleet's folder, published as the service starts.
  await until(() => existsSync(join(base.path, "fleet", "sweep.json")), "the service publishes its fleet file");
  writeFileSync(join(dir, "cloudsync.yaml"), `${config()}\nbogus: \${S3_SECRET}\n`);
  await until(() => /the last applied configuration keeps running/.test(log), "the edit is rejected");
  // A channel whose URL (a secret) is not a URL: the messages quote it, as its reference.
  const rejections = () => (log.match(/the last applied configuration keeps running/g) ?? []).length;
  writeFileSync(join(dir, "cloudsync.yaml"), config().replace("notifications:\n", 'notifications:\n  slack:\n    type: slack\n    url: ${SLACK_WEBHOOK}\n'));
  await until(() => rejections() >= 2, "the second edit is rejected");
  collect("validate (a secret in a message)", await cli(["validate"], { cwd: dir, env: ENV }));
  collect("validate --json (a secret in a message)", await cli(["validate", "--json"], { cwd: dir, env: ENV }));
  watch.kill("SIGTERM");
  await new Promise((resolve) => watch.on("exit", resolve));
  outputs.push({ what: "service log", text: log });

  for (const name of readdirSync(join(base.path, "fleet"))) outputs.push({ what: `fleet file ${name}`, text: readFileSync(join(base.path, "fleet", name), "utf8") });
  await run("fleet", ["fleet"]);
  await run("fleet --json", ["fleet", "--json"]);
  outputs.push({ what: "saved plan", text: readFileSync(join(dir, "saved.plan"), "utf8") });
  // Notification bodies (headers and URLs go to their own channel, which holds its token by design).
  await until(() => http.requests.some((r) => r.path.includes("/fail")) && smtp.mails.length >= 3, "the notifications arrive");
  for (const request of http.requests) outputs.push({ what: `notification body ${request.path.replace(/[^/]{12,}/g, "…")}`, text: request.body });
  for (const mail of smtp.mails) outputs.push({ what: "notification mail", text: mail.data });
  const runsDir = join(dir, ".cloudsync", "runs", "enc");
  for (const name of readdirSync(runsDir)) outputs.push({ what: `runs/enc/${name}`, text: readFileSync(join(runsDir, name), "utf8") });
  outputs.push({ what: "the script's environment", text: readFileSync(envDump, "utf8") });
}, 120_000);

describe("no secret of any kind reaches any output", () => {
  // Each as it is, as JSON spells it, and each line of one with several.
  const every = [
    ...new Set(
      [...Object.values(ENV), ...PEM_SECRET_LINES].flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1), ...secret.split("\n").filter((line) => line.length >= 8)]),
    ),
  ];

  it("the sweep saw every output it means to", () => {
    expect(outputs.length).toBeGreaterThan(30);
    expect(outputs.find((o) => o.what === "fleet --json (stdout)")!.text).toMatch(/"host": "sweep"[\s\S]*"trusted": true/);
    const log = outputs.find((o) => o.what === "logs (stdout)")!.text;
    // The script's print of a secret is in the log, redacted.
    expect(log).toMatch(/\[pre-script\] leaking: \[REDACTED\] and \[REDACTED\] and \[REDACTED\]/);
    expect(outputs.find((o) => o.what === "plan after rotation (stdout)")!.text).toContain("(sensitive value)");
    expect(outputs.find((o) => o.what === "service log")!.text).toMatch(/Run \S+ of enc|the configuration has errors/);
    // The failure's notifications carry the log's last lines, redacted.
    const failure = outputs.find((o) => o.what.includes("/fail"))!.text;
    expect(failure).toContain("[REDACTED] and [REDACTED] and [REDACTED]");
    expect(outputs.filter((o) => o.what === "notification mail").length).toBeGreaterThanOrEqual(3);
    expect(outputs.find((o) => o.what === "notify test hook (stdout)")!.text).toContain("delivered");
    // The quoted webhook is named by its reference where a message quotes it.
    expect(outputs.find((o) => o.what === "validate (a secret in a message) (stderr)")!.text).toContain("${SLACK_WEBHOOK}");
    expect(outputs.some((o) => o.what.startsWith("notification body") && o.text.includes("config_rejected") && o.text.includes("SLACK_WEBHOOK"))).toBe(true);
  });

  for (const secret of every) {
    it(`${JSON.stringify(secret.slice(0, 16))}… appears nowhere`, () => {
      const refused = Object.values(REFUSED_SECRET).some((value) => value === secret || JSON.stringify(value).slice(1, -1) === secret);
      const leaks = outputs.filter((o) => o.text.includes(secret) && !(refused && o.what === "the script's environment")).map((o) => o.what);
      expect(leaks).toEqual([]);
    });
  }

  it("not even in the environment scripts get, under any variable name", () => {
    const env = JSON.parse(readFileSync(envDump, "utf8")) as Record<string, string>;
    for (const name of Object.keys(SECRETS)) expect(env[name]).toBeUndefined();
    expect(Object.keys(env).filter((k) => k.startsWith("RCLONE_CONFIG_"))).toEqual([]);
  });

  it("the state directory is private", () => {
    expect(statSync(join(dir, ".cloudsync")).mode & 0o077).toBe(0);
    expect(statSync(join(dir, ".cloudsync", "state.json")).mode & 0o077).toBe(0);
  });
});
