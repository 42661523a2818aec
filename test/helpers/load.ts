import { readFileSync } from "node:fs";
import { loadConfig } from "../../src/config/load.js";

/** The environment the corpus and unit tests load configurations in. */
export const TEST_ENV = { S3_KEY: "key-id", S3_SECRET: "secret-value", PASS: "password", SALT: "salt" };

export function load(text: string, file = "cloudsync.yaml", env: Record<string, string> = TEST_ENV) {
  return loadConfig(file, text, { env, readFile: (path) => readFileSync(path, "utf8") });
}
