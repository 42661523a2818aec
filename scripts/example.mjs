#!/usr/bin/env node
// npm run example: the quick start on this machine, no cloud account needed.
// Creates demo data under $CLOUDSYNC_DEMO (default /tmp/cloudsync-demo) and
// runs cloudsync on examples/quickstart-local.yaml.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(`${root}dist/cloudsync.js`)) {
  console.error("cloudsync is not built yet: run npm install (or npm run build) first.");
  process.exit(1);
}
const demo = process.env.CLOUDSYNC_DEMO ?? "/tmp/cloudsync-demo";
mkdirSync(`${demo}/documents/letters`, { recursive: true });
writeFileSync(`${demo}/documents/letters/hello.txt`, "Hello from cloudsync.\n");
writeFileSync(`${demo}/documents/notes.md`, "# Notes\n");

// The commands as a user types them from the checkout (npx finds the package's own command).
const config = relative(process.cwd(), `${root}examples/quickstart-local.yaml`) || "examples/quickstart-local.yaml";
const command = (...args) => ["npx", "cloudsync", "-c", config, "--state-dir", `${demo}/state`, ...args].join(" ");

const cloudsync = (...args) => {
  console.log(`\n$ ${command(...args)}`);
  const result = spawnSync(process.execPath, [`${root}dist/cloudsync.js`, "-c", `${root}examples/quickstart-local.yaml`, "--state-dir", `${demo}/state`, ...args], {
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

cloudsync("validate");
cloudsync("plan");
cloudsync("apply", "--auto-approve");
cloudsync("run", "documents");
cloudsync("status");
const hints = [
  ["the run's log", command("logs", "documents")],
  ["every run so far", command("history")],
  [`bring the backup back into ${demo}/restored`, command("run", "documents-restore")],
  ["the service and its dashboard (Ctrl-C stops it)", command("watch", "--web", "127.0.0.1:8080")],
];
console.log(`\nThe backup is in ${demo}/backup/documents. Try next, from this checkout:`);
for (const [what, line] of hints) console.log(`  # ${what}\n  ${line}`);
