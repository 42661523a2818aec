#!/usr/bin/env node
// Build: pre-compile the schema validator (ajv standalone, so no schema is
// compiled at start-up), then bundle the CLI with esbuild into dist/: the launcher
// (cloudsync.js) and the CLI (cli.js).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build } from "esbuild";
import { importTypeScript } from "./import-typescript.mjs";

const { withoutReferences } = await importTypeScript("src/config/schema-references.ts");

const root = fileURLToPath(new URL("..", import.meta.url));
const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, code: { source: true, optimize: true } };
const ANNOTATIONS = new Set(["description", "markdownDescription", "examples", "title", "$comment", "defaultSnippets", "patternErrorMessage", "errorMessage"]);

/** Drops what only editors read, so the generated validator stays small. */
function validationOnly(schema) {
  if (Array.isArray(schema)) return schema.map(validationOnly);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !ANNOTATIONS.has(key) && !key.startsWith("x-"))
      .map(([key, value]) => [key, key === "properties" || key === "definitions" ? mapValues(value) : validationOnly(value)]),
  );
}

function mapValues(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, validationOnly(value)]));
}

function compileValidatorSource(schema) {
  const ajv = new Ajv.default(AJV_OPTIONS);
  return standaloneCode.default(ajv, ajv.compile(validationOnly(schema)));
}

/**
 * A credential's backend options are checked against the rclone in use
 * (src/config/credential-check.ts), not by the validator: it keeps only the
 * credential's shape, which also keeps it a fraction of the size.
 */
function withoutBackends(schema) {
  const definitions = Object.fromEntries(Object.entries(schema.definitions).filter(([key]) => !key.startsWith("backend_")));
  const { allOf: _branches, ...credential } = definitions.credential;
  definitions.credential = { ...credential, properties: { type: { type: "string", minLength: 1 } } };
  return { ...schema, definitions };
}

// The validator checks values after their ${…} references are resolved: without the editors' reference alternatives.
const schema = withoutBackends(withoutReferences(JSON.parse(readFileSync(`${root}schema/cloudsync.schema.json`, "utf8"))));
writeFileSync(`${root}src/config/generated/schema-validator.cjs`, compileValidatorSource(schema));

/** The dashboard's page: Preact and our code, one script and one stylesheet, compiled into the CLI as text (no files to find at run time, no CDN). */
async function buildPage() {
  const result = await build({
    entryPoints: [`${root}src/web/page/main.tsx`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: "/page",
    write: false,
    legalComments: "none",
    logLevel: "warning",
  });
  const text = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext)).text;
  return { js: text(".js"), css: text(".css") };
}

const webAssets = (page) => ({
  name: "web-assets",
  setup(context) {
    context.onResolve({ filter: /^virtual:web-assets$/ }, () => ({ path: "web-assets", namespace: "web-assets" }));
    context.onLoad({ filter: /.*/, namespace: "web-assets" }, () => ({ contents: `export default ${JSON.stringify(page)};`, loader: "js" }));
  },
});

/**
 * The CLI as one CommonJS bundle (dist/cli.js), which the launcher (dist/cloudsync.js) compiles through
 * V8's code cache (src/entry/code-cache.ts): Node 20 caches compiled code only for scripts, not for ES modules.
 */
async function buildCli(page) {
  const result = await build({
    plugins: [webAssets(page)],
    entryPoints: { cli: `${root}src/entry/main.ts` },
    alias: { "ajv/dist/runtime/ucs2length": `${root}src/config/code-points.ts` },
    outdir: `${root}dist`,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.19",
    // Read as Latin-1 by the launcher, and kept by V8 one byte per character.
    charset: "ascii",
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    metafile: true,
    write: false,
    legalComments: "none",
    logLevel: "warning",
    // The module's function, written out: the launcher compiles the file's text as it is, without joining a copy of it.
    banner: { js: "(function (exports, require, module, __filename, __dirname) {" },
    footer: { js: "})" },
  });
  const file = result.outputFiles.find((f) => f.path.endsWith("cli.js"));
  // A script run through node:vm has no loader for import() (Node 20); everything is in the bundle, or require()d.
  const dynamic = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.kind === "dynamic-import" && i.external));
  if (dynamic.length > 0) throw new Error(`dist/cli.js would import() at run time: ${dynamic.map((i) => i.path).join(", ")}; use require() or a static import`);
  if (file.contents.some((byte) => byte > 0x7f)) throw new Error("dist/cli.js is not ASCII");
  for (const output of result.outputFiles) writeFileSync(output.path, output.contents);
  return createHash("sha256").update(file.contents).digest("hex").slice(0, 16);
}

if (!process.argv.includes("--validator-only")) {
  rmSync(`${root}dist`, { recursive: true, force: true });
  mkdirSync(`${root}dist`);
  const bundleId = await buildCli(await buildPage());
  await build({
    entryPoints: { cloudsync: `${root}src/entry/launcher.ts` },
    outdir: `${root}dist`,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20.19",
    define: { BUNDLE_ID: JSON.stringify(bundleId) },
    legalComments: "none",
    logLevel: "warning",
    banner: { js: "#!/usr/bin/env node" },
  });
  // The package is "type": "module"; what is in dist/ is CommonJS.
  writeFileSync(`${root}dist/package.json`, `${JSON.stringify({ type: "commonjs" })}\n`);
}
