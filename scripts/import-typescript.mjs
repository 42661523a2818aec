// Lets a build script use a module of src/ (TypeScript) without a separate
// compile step: esbuild bundles it in memory and it is imported from a data URL.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function importTypeScript(path) {
  const result = await build({ entryPoints: [`${root}${path}`], bundle: true, write: false, format: "esm", platform: "node", logLevel: "warning" });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`);
}
