import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { obscure, reveal } from "../../src/secrets/obscure.js";

const rclone = (...args: string[]) => execFileSync("rclone", args, { env: { ...process.env, RCLONE_CONFIG: "/dev/null" } }).toString().trim();

describe("obscure and reveal, as rclone does them", () => {
  it("rclone reveals what cloudsync obscures, and cloudsync reveals what rclone obscures", () => {
    for (const secret of ["p", "pa55-w0rd", "ünïcode ✓", "x".repeat(200)]) {
      // "--": an obscured value may begin with "-".
      expect(rclone("reveal", "--", obscure(secret))).toBe(secret);
      expect(reveal(rclone("obscure", secret))).toBe(secret);
    }
  });

  it("is not fooled by what is not an obscured value", () => {
    expect(reveal("short")).toBeNull();
    expect(reveal("not base64url at all!!!!!!!!!!!!!!!")).toBeNull();
  });
});
