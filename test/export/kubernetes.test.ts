import { describe, expect, it } from "vitest";
import { kubernetesSchedule, resourceName } from "../../src/export/kubernetes.js";

const schedule = (cron: string) => {
  const result = kubernetesSchedule(cron);
  if (!result.ok) throw new Error(result.reason);
  return result.schedule;
};

describe("a CronJob's schedule", () => {
  it("keeps plain expressions, and writes names and Sunday-as-7 as numbers", () => {
    expect(schedule("0 0 * * *")).toBe("0 0 * * *");
    expect(schedule("*/15 9-17 * JAN-MAR MON-FRI")).toBe("0-45/15 9-17 * 1-3 1-5");
    expect(schedule("0 4 * * 7")).toBe("0 4 * * 0");
    expect(schedule("0 0 1,15 * *")).toBe("0 0 1,15 * *");
    expect(schedule("0 0 0 * * *")).toBe("0 0 * * *");
  });

  it("never writes a restricted day field as *…, which Kubernetes would read as unrestricted for the either-day rule", () => {
    expect(schedule("0 1 */2 * 7")).toBe("0 1 1-31/2 * 0");
    expect(schedule("0 1 1-31 * 1")).toBe("0 1 1-31 * 1");
    expect(schedule("0 1 13 * */1")).toBe("0 1 13 * 0-6");
  });

  it("refuses seconds, L, #, W and both-required, with the reason", () => {
    for (const cron of ["30 0 * * * *", "0 0 L * *", "0 0 * * 1#2", "0 0 * * 5L", "0 0 15W * *", "0 0 13 * +5"]) expect(kubernetesSchedule(cron).ok, cron).toBe(false);
  });
});

describe("resource names", () => {
  it("are DNS labels: _ becomes -, and a long name is cut with a hash that keeps it unique", () => {
    expect(resourceName("cloudsync-odd_days", 52)).toBe("cloudsync-odd-days");
    const long = resourceName(`cloudsync-${"a".repeat(60)}`, 52);
    expect(long).toHaveLength(52);
    expect(long).not.toBe(resourceName(`cloudsync-${"a".repeat(61)}`, 52));
  });
});

describe("the manifests", () => {
  it("refuse a file with U+2028, U+2029 or U+0085 anywhere (Kubernetes reads YAML 1.1, where they end a line)", async () => {
    const { kubernetesManifests } = await import("../../src/export/kubernetes.js");
    const { DEFAULT_SETTINGS } = await import("../../src/model/config.js");
    for (const odd of ["\u2028", "\u2029", "\u0085"]) {
      const result = kubernetesManifests({
        config: { settings: DEFAULT_SETTINGS, credentials: {}, notifications: {}, tasks: {} },
        configText: `version: 1 # a comment${odd}with a separator\n`,
        variables: [],
        files: [],
        credentials: [],
        values: null,
        image: "cloudsync:test",
        claims: {},
        now: new Date("2026-01-01T00:00:00Z"),
      });
      expect(result.errors).toEqual([{ task: null, message: expect.stringContaining("which Kubernetes' YAML reads as a line break") }]);
    }
  });
});
