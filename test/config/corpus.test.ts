// Every file in corpus/ is a broken configuration that says which errors it
// must produce: a caret comment under the offending spot,
//     scedule: daily
//   #   ^ unknown key "scedule"
// or, for problems without a spot of their own, `# expect: LINE:COLUMN: text`.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load } from "../helpers/load.js";

const dir = new URL("./corpus/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

interface Expected {
  line: number;
  column: number;
  text: string;
}

function expectations(text: string): Expected[] {
  const found: Expected[] = [];
  let lastContentLine = 0;
  text.split("\n").forEach((line, index) => {
    const header = /^# expect: (\d+):(\d+): (.*)$/.exec(line);
    const caret = /^#(\s*)\^ (.*)$/.exec(line);
    if (header) found.push({ line: Number(header[1]), column: Number(header[2]), text: header[3]! });
    else if (caret) found.push({ line: lastContentLine, column: caret[1]!.length + 2, text: caret[2]! });
    else lastContentLine = index + 1;
  });
  return found;
}

describe("broken configuration corpus", () => {
  it("has at least 40 files", () => expect(files.length).toBeGreaterThanOrEqual(40));

  it.each(files)("%s", async (file) => {
    const text = readFileSync(new URL(file, dir), "utf8");
    const expected = expectations(text);
    expect(expected.length, "the file states what it expects").toBeGreaterThan(0);
    const result = await load(text, file);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column}: ${d.message}`);
    expect(result.config).toBeNull();
    for (const e of expected) {
      expect(errors, `expected an error at ${e.line}:${e.column} containing ${JSON.stringify(e.text)}`).toContainEqual(
        expect.stringMatching(new RegExp(`^${e.line}:${e.column}: .*${e.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
      );
    }
    expect(errors).toHaveLength(expected.length);
  });
});
