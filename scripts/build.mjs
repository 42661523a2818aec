#!/usr/bin/env node
// Build: pre-compile the schema validator (ajv standalone, so no schema is
// compiled at start-up), then bundle the CLI with esbuild into dist/.
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build } from "esbuild";
import { withoutReferences } from "./schema-references.mjs";

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

if (!process.argv.includes("--validator-only")) {
  rmSync(`${root}dist`, { recursive: true, force: true });
  const page = await buildPage();
  await build({
    plugins: [webAssets(page)],
    entryPoints: { cloudsync: `${root}src/cli/main.ts` },
    outdir: `${root}dist`,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
    banner: {
      // Bundled CommonJS dependencies call require(); give them one.
      js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
}
