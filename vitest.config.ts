import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait on child processes (rclone, servers, the CLI), not the CPU: run several at once even on 2 cores.
    maxWorkers: 4,
  },
});
