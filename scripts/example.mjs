#!/usr/bin/env node
// npm run example: the quick start on this machine, no cloud account needed.
// Creates demo data under $CLOUDSYNC_DEMO (default /tmp/cloudsync-demo) and
// runs cloudsync on examples/quickstart-local.yaml.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const demo = process.env.CLOUDSYNC_DEMO ?? "/tmp/cloudsync-demo";
mkdirSync(`${demo}/documents/letters`, { recursive: true });
writeFileSync(`${demo}/documents/letters/hello.txt`, "Hello from cloudsync.\n");
writeFileSync(`${demo}/documents/notes.md`, "# Notes\n");

const cloudsync = (...args) => {
  console.log(`\n$ cloudsync ${args.join(" ")}`);
  const result = spawnSync(
    process.execPath,
    [`${root}dist/cloudsync.js`, "-c", `${root}examples/quickstart-local.yaml`, "--state-dir", `${demo}/state`, ...args],
    { stdio: "inherit" },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
};

cloudsync("validate");
cloudsync("plan");
cloudsync("apply", "--auto-approve");
cloudsync("run", "documents");
cloudsync("status");
console.log(`\nThe backup is in ${demo}/backup/documents; the run's log: cloudsync logs documents --state-dir ${demo}/state -c examples/quickstart-local.yaml`);
