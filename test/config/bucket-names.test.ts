import { describe, expect, it } from "vitest";
import { bucketNameProblem } from "../../src/config/bucket-names.js";

describe("bucketNameProblem", () => {
  it.each([
    ["s3", "photos-2024", null],
    ["s3", "my.bucket.name", null],
    ["s3", "ab", /3 to 63 characters/],
    ["s3", "Photos", /lower-case letters/],
    ["s3", "-photos", /begin and end with a letter or digit/],
    ["s3", "a..b", /two dots in a row/],
    ["s3", "192.168.1.1", /IP address/],
    ["b2", "Photos-2024", null],
    ["b2", "short", /6 to 50 characters/],
    ["b2", "b2-photos", /must not begin with b2-/],
    ["google cloud storage", "my_bucket", null],
    ["google cloud storage", "google-photos", /google/],
    ["azureblob", "photos", null],
    ["azureblob", "pho--tos", /two hyphens in a row/],
    ["azureblob", "photos-", /not end with a hyphen/],
    ["swift", "Any Name", null],
    ["swift", "a/b", /slash/],
  ])("%s: %s", (backend, name, expected) => {
    const problem = bucketNameProblem(backend, name);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
