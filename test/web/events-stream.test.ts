import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import type { Workspace } from "../../src/app/workspace.js";
import { EventBus } from "../../src/events/events.js";
import { emptyState } from "../../src/model/applied-state.js";
import { serveDashboard } from "../../src/web/server.js";
import { tempDir } from "../helpers/cli.js";
import { freePort } from "../helpers/servers.js";

const TOKEN = "t".repeat(43);

describe("the event stream", () => {
  it("lets go of a page that stops reading instead of buffering for it without end", async () => {
    const events = new EventBus();
    const state = tempDir();
    const dashboard = await serveDashboard(`127.0.0.1:${await freePort()}`, {
      workspace: { events, configName: "cloudsync.yaml" } as unknown as Workspace,
      stateDir: state.path,
      applied: () => emptyState(),
      rejection: () => null,
      runNow: () => Promise.reject(new Error("not here")),
      checkNow: () => Promise.reject(new Error("not here")),
      service: { pid: process.pid, since: new Date().toISOString() },
      fleet: () => null,
      generatedToken: TOKEN,
    });
    try {
      const { port } = new URL(dashboard.url);
      const socket = connect(Number(port), "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(`GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
      // It reads the first answer, then nothing: the server's buffer fills once the kernel's has.
      await new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.pause();
      const message = "x".repeat(600);
      const emitted = 100_000;
      for (let i = 0; i < emitted; i++) events.emit({ type: "notice", level: "info", message });
      let received = 0;
      const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
      socket.on("data", (chunk: Buffer) => (received += chunk.length));
      socket.resume();
      await ended;
      // Far less than the ~60 MB sent its way: the kernel's buffers and at most 1 MiB of the server's.
      expect(received).toBeLessThan((emitted * message.length) / 4);
    } finally {
      await dashboard.close();
      state.remove();
    }
  }, 60_000);
});
