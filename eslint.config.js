import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerRules } from "./eslint.layers.js";

const SIDE_EFFECTS = ["node:fs", "node:fs/promises", "node:child_process", "fs", "child_process", "execa"];
const noImports = (names, message) => ({ paths: names.map((name) => ({ name, message })) });

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "src/config/generated/", ".cloudsync/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly", structuredClone: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  // Dependencies point one way, and the pure folders touch no file system, process or clock (eslint.layers.js).
  ...layerRules,
  // Commands only parse, call the operations layer and print: no file system, no processes, no other command.
  {
    files: ["src/cli/commands/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { ...noImports(SIDE_EFFECTS, "Commands call src/app; the operations layer touches files and processes."), patterns: [{ group: ["./*"], message: "No command imports another command." }] },
      ],
    },
  },
);
