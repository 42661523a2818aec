import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dashboardSessions } from "../../src/state/dashboard-access.js";
import { tempDir } from "../helpers/cli.js";

const dirs: { remove: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe("the dashboard's kept sessions", () => {
  it("are a 0600 file of the sessions made with one token; another token's are none", () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = dashboardSessions(dir.path);
    expect(file.load("token-a")).toEqual({});
    file.save("token-a", { one: 5, two: 6 });
    expect(statSync(join(dir.path, "dashboard.sessions")).mode & 0o777).toBe(0o600);
    expect(file.load("token-a")).toEqual({ one: 5, two: 6 });
    expect(file.load("token-b")).toEqual({});
  });

  it("read nothing from a file that is not theirs to trust (others may read it) or not JSON", () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, "dashboard.sessions");
    writeFileSync(path, JSON.stringify({ made_with: "t", sessions: { one: 5 } }), { mode: 0o644 });
    expect(dashboardSessions(dir.path).load("t")).toEqual({});
    writeFileSync(path, "not json", { mode: 0o600 });
    expect(dashboardSessions(dir.path).load("t")).toEqual({});
  });
});
