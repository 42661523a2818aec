// The layers are enforced by the lint: a forbidden import planted in each folder must be refused,
// and every allowed one let through (a rule that refused everything would pass the first half).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { LAYERS, PURE } from "../eslint.layers.js";

const root = new URL("..", import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });
const folders = Object.keys(LAYERS);

/** The lint's messages for `code` as if it were a file in src/FOLDER. */
async function lint(folder: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `src/${folder}/planted.ts` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const importOf = (target: string) => `import { x } from "../${target}/module.js";\nexport const y = x;\n`;

describe("the layers", () => {
  for (const folder of folders) {
    const allowed = LAYERS[folder]!;
    const forbidden = allowed === "everything" ? [] : folders.filter((other) => other !== folder && !allowed.includes(other));
    it(`src/${folder} may import ${allowed === "everything" ? "everything" : allowed.join(", ") || "only itself"}, and nothing else`, async () => {
      for (const target of forbidden) {
        expect(await lint(folder, importOf(target)), `src/${folder} importing src/${target}`).toEqual([expect.stringMatching(/no-restricted-imports: .*may import only/)]);
        expect(await lint(folder, `export const y = () => import("../${target}/module.js");\n`), `src/${folder} importing src/${target} by import()`).toContainEqual(expect.stringMatching(/no-restricted-syntax/));
      }
      for (const target of allowed === "everything" ? folders : allowed) {
        if (target !== folder) expect(await lint(folder, importOf(target)), `src/${folder} importing src/${target}`).toEqual([]);
      }
      expect(await lint(folder, `import { errorJson } from "../errors.js";\nexport const y = errorJson;\n`)).toEqual([]);
    });
  }

  it("only src/process (and the composition root) start child processes", async () => {
    for (const folder of folders.filter((f) => f !== "process" && f !== "entry")) {
      for (const module of ["node:child_process", "execa"]) {
        expect(await lint(folder, `import { spawn } from "${module}";\nexport const y = spawn;\n`), `src/${folder} importing ${module}`).toEqual([expect.stringMatching(/no-restricted-imports/)]);
      }
    }
    expect(await lint("process", `import { spawn } from "node:child_process";\nexport const y = spawn;\n`)).toEqual([]);
  });

  it("the pure folders touch no file system, process or clock, not even by import()", async () => {
    const impure = [
      `import { readFileSync } from "node:fs";\nexport const y = readFileSync;\n`,
      `import { setTimeout } from "node:timers/promises";\nexport const y = setTimeout;\n`,
      `export const y = () => import("node:fs");\n`,
      `export const y = (name: string) => import(name);\n`,
      `export const y = () => new Date();\n`,
      `export const y = () => Date.now();\n`,
      `export const y = () => process.env.HOME;\n`,
      `export const y = () => setTimeout(() => undefined, 1);\n`,
    ];
    for (const folder of PURE) {
      for (const code of impure) expect(await lint(folder, code), `${code} in src/${folder}`).not.toEqual([]);
      // Its own modules may load lazily; a time it is given is fine.
      expect(await lint(folder, `export const y = (at: number) => [import("./module.js"), new Date(at)];\n`)).toEqual([]);
    }
    expect(await lint("state", `import { readFileSync } from "node:fs";\nexport const y = [readFileSync, new Date()];\n`)).toEqual([]);
  });

  it("the page runs in the browser: it takes the views' types and their formatting, nothing else of the server's", async () => {
    const page = async (code: string) => (await eslint.lintText(code, { filePath: "src/web/page/planted.tsx" }))[0]!.messages;
    expect(await page(`import type { recordJson } from "../../views/record.js";\nexport type Y = ReturnType<typeof recordJson>;\n`)).toEqual([]);
    expect(await page(`import { formatBytes } from "../../views/format.js";\nexport const y = formatBytes;\n`)).toEqual([]);
    expect(await page(`import { recordJson } from "../../views/record.js";\nexport const y = recordJson;\n`)).not.toEqual([]);
    expect(await page(`import { statusOf } from "../../app/status.js";\nexport const y = statusOf;\n`)).not.toEqual([]);
    expect(await page(`import { serveDashboard } from "../server.js";\nexport const y = serveDashboard;\n`)).not.toEqual([]);
  });
});

/** Every module of src/ and the modules it imports (values, not types: those are gone at run time). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"));
  for (const file of files) {
    const path = join(root, "src", file);
    const imports = [...readFileSync(path, "utf8").matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+"(\.[^"]+)\.js"/gm)]
      .map((m) => resolve(dirname(path), m[1]!))
      .flatMap((target) => [`${target}.ts`, `${target}.tsx`].filter((candidate) => existsSync(candidate)));
    graph.set(path, imports);
  }
  return graph;
}

describe("the modules", () => {
  it("import one another in no circle", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    const done = new Set<string>();
    const path: string[] = [];
    const circles: string[] = [];
    const visit = (file: string) => {
      if (done.has(file)) return;
      const at = path.indexOf(file);
      if (at >= 0) {
        circles.push([...path.slice(at), file].map((f) => relative(root, f)).join(" -> "));
        return;
      }
      path.push(file);
      for (const next of graph.get(file) ?? []) visit(next);
      path.pop();
      done.add(file);
    };
    for (const file of graph.keys()) visit(file);
    expect(circles).toEqual([]);
  });
});
