import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type TaskSpec } from "../../src/model/config.js";
import { taskSpec } from "../helpers/specs.js";
import { systemdArgument, systemdUnits, type SystemdExportInput } from "../../src/export/systemd.js";

const task = (overrides: Partial<TaskSpec> = {}): TaskSpec => taskSpec({ path: "/srv/data", credential: "c", bucket: null, folder: "backup", schedule: "0 3 * * *", ...overrides });
const input = (tasks: Record<string, TaskSpec>, extra: Partial<SystemdExportInput> = {}): SystemdExportInput => ({
  tasks, settings: DEFAULT_SETTINGS, configPath: "/etc/cloudsync/cloudsync.yaml", stateDir: "/var/lib/cloudsync", cloudsync: ["/usr/bin/node", "/opt/cloudsync/dist/cloudsync.js"],
  user: false, environmentFile: null, credentials: null, now: new Date("2026-12-01T00:00:00Z"), ...extra,
});

describe("systemd units", () => {
  it("quotes an argument only when it must, and doubles what systemd would expand", () => {
    expect(systemdArgument("/etc/cloudsync/cloudsync.yaml")).toBe("/etc/cloudsync/cloudsync.yaml");
    expect(systemdArgument("/srv/my files/c.yaml")).toBe('"/srv/my files/c.yaml"');
    expect(systemdArgument("100%")).toBe("100%%");
    expect(systemdArgument("$HOME")).toBe('"$$HOME"');
    expect(systemdArgument('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(systemdArgument("")).toBe('""');
  });

  it("a description with a NUL, a line break or a line separator (a state applied before validate refused them) stays on its line", () => {
    for (const description of ["nightly\u0000\nExecStartPre=/bin/evil", "a\u2028ExecStartPre=/bin/evil", "a\rExecStartPre=/bin/evil"]) {
      const [service] = systemdUnits(input({ t: task({ description }) })).files;
      expect(service!.text).not.toMatch(/^ExecStartPre=/m);
      expect(service!.text).not.toMatch(/[\u0000\u2028\r]/);
    }
  });

  it("hardens system units, but keeps /tmp shared when the task or the state lives there", () => {
    const [service] = systemdUnits(input({ t: task() })).files;
    expect(service!.text).toContain("PrivateTmp=true");
    expect(service!.text).toContain("ReadWritePaths=/var/lib/cloudsync");
    const [inTmp] = systemdUnits(input({ t: task({ path: "/tmp/data" }) })).files;
    expect(inTmp!.text).not.toContain("PrivateTmp=true");
  });

  it("leaves out disabled and unscheduled tasks, and names each task whose schedule systemd cannot say", () => {
    const result = systemdUnits(input({ off: task({ enabled: false }), manual: task({ schedule: null }), odd: task({ schedule: "0 0 15W * *" }) }));
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([{ task: "manual", message: "no schedule: it runs only when started" }, { task: "off", message: "disabled" }]);
    expect(result.errors).toEqual([{ task: "odd", message: expect.stringContaining('its schedule "0 0 15W * *" cannot be a systemd timer') }]);
  });

  it("warns of daylight-saving changes only with a zone that has them, at times they touch", () => {
    const berlin = { ...DEFAULT_SETTINGS, timezone: "Europe/Berlin" };
    expect(systemdUnits(input({ t: task({ schedule: "30 2 * * *" }) }, { settings: berlin })).warnings).toHaveLength(1);
    expect(systemdUnits(input({ t: task({ schedule: "30 3 * * *" }) }, { settings: berlin })).warnings).toEqual([]);
    expect(systemdUnits(input({ t: task({ schedule: "30 2 * * *" }) }, { settings: { ...DEFAULT_SETTINGS, timezone: "UTC" } })).warnings).toEqual([]);
  });

  it("a task's destinations share its check's timer, unless one checks on a schedule of its own", () => {
    const place = (folder: string, overrides = {}) => ({ credential: "c", bucket: null, folder, encryption: null, overrides });
    const shared = systemdUnits(input({ t: task({ credential: "", destinations: { a: place("a"), b: place("b") }, check: { schedule: "0 5 * * *", download: false } }) }));
    expect(shared.files.map((f) => f.name)).toEqual(["cloudsync-t.service", "cloudsync-t.timer", "cloudsync-t.check.service", "cloudsync-t.check.timer"]);
    const own = systemdUnits(input({ t: task({ credential: "", destinations: { a: place("a"), b: place("b", { check: { schedule: "0 6 * * 0", download: true } }) }, check: { schedule: "0 5 * * *", download: false } }) }));
    expect(own.files.map((f) => f.name)).toEqual(["cloudsync-t.service", "cloudsync-t.timer", "cloudsync-t.check-a.service", "cloudsync-t.check-a.timer", "cloudsync-t.check-b.service", "cloudsync-t.check-b.timer"]);
    expect(own.files[4]!.text).toMatch(/^ExecStart=.* check t --destination b --scheduled --quiet$/m);
    expect(own.files[5]!.text).toMatch(/^OnCalendar=Sun \*-\*-\* 06:00:00$/m);
  });
});
