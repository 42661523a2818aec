import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Tests that start programs: the built CLI and the service (runs with servers, signals, terminals,
 * other users, installs; `*.process.test.ts` beside an in-process file), the browser (the dashboard),
 * and conformance with the programs cloudsync works with (rclone's own parsing, systemd-analyze,
 * promtool, the YAML language server). Everything else runs in this process: `npm run test:unit`.
 */
const SYSTEM = [
  "test/**/*.process.test.ts",
  "test/cli/{watch,hangups,install,fresh-clone,ephemeral,state-durability,state-failures,snapshot,metrics,secrets-sweep,rclone-versions}.test.ts",
  "test/cli/{run-features,run-endpoints,versions,destinations,check,remotes,restore,safety,notifications,import,completion,export-systemd,fleet}.test.ts",
  "test/web/dashboard*.test.ts",
  "test/editor/**",
  "test/entry/code-cache.test.ts",
  "test/state/lock.test.ts",
  "test/runner/snapshot-zfs.test.ts",
  "test/export/calendar.test.ts",
  "test/metrics/model.test.ts",
  "test/config/generated.test.ts",
  "test/config/rclone-providers.test.ts",
  "test/config/glob.test.ts",
  "test/secrets/obscure.test.ts",
];

export default defineConfig({
  // The page's components (src/web/page) are Preact's, as the build compiles them.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // The build supplies the dashboard's page as a virtual module; the server's own tests get a stand-in.
  resolve: { alias: { "virtual:web-assets": fileURLToPath(new URL("./test/helpers/web-assets.ts", import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most system tests wait on child processes (rclone, servers, the CLI), not the CPU: run several at once even on 2 cores.
    maxWorkers: 4,
    projects: [
      // In-process: the pure parts, the operations on a temporary workspace, the service on a fake clock. `npm run test:unit`.
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: SYSTEM } },
      // Real processes, servers and a browser on a shared, busy machine: a test that fails is run once more, and
      // fails only if it fails again (the reporter marks one that passed on its second try "retry x1").
      { extends: true, test: { name: "system", retry: 1, include: SYSTEM.map((pattern) => (pattern.endsWith("/**") ? `${pattern}/*.test.ts` : pattern)) } },
    ],
  },
});
