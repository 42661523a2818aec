import { afterEach, describe, expect, it } from "vitest";
import { holdHangups } from "../../src/cli/hangups.js";

describe("SIGHUP while a service starts", () => {
  const before = process.listeners("SIGHUP");
  afterEach(() => {
    for (const listener of process.listeners("SIGHUP")) if (!before.includes(listener)) process.off("SIGHUP", listener);
  });

  it("is held until the service listens, then given to it, and every later one too", () => {
    const hangups = holdHangups(true);
    process.emit("SIGHUP", "SIGHUP");
    const heard: string[] = [];
    hangups.onHangup(() => heard.push("hup"));
    expect(heard).toEqual(["hup"]);
    process.emit("SIGHUP", "SIGHUP");
    expect(heard).toEqual(["hup", "hup"]);
  });

  it("is left alone for a command that is no service", () => {
    holdHangups(false);
    expect(process.listeners("SIGHUP")).toEqual(before);
  });
});
