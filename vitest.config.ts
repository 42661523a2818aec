import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The build supplies the dashboard's page as a virtual module; the server's own tests get a stand-in.
  resolve: { alias: { "virtual:web-assets": fileURLToPath(new URL("./test/helpers/web-assets.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait on child processes (rclone, servers, the CLI), not the CPU: run several at once even on 2 cores.
    maxWorkers: 4,
  },
});
