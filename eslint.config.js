import js from "@eslint/js";
import tseslint from "typescript-eslint";

const SIDE_EFFECTS = ["node:fs", "node:fs/promises", "node:child_process", "fs", "child_process", "execa"];
const CLOCK = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "The pure core takes the time as an argument." },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "The pure core takes the time as an argument." },
];
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
  // Dependencies point one way (../shared/DESIGN.md): the pure core touches no file system, process or clock…
  {
    files: ["src/config/**/*.ts", "src/plan/**/*.ts", "src/import/**/*.ts", "src/export/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { ...noImports(SIDE_EFFECTS, "The pure core takes everything as arguments."), patterns: [{ group: ["**/app/*", "**/cli/*", "**/watch/*", "**/web/*"], message: "The core does not import front ends or the operations layer." }] }],
      "no-restricted-syntax": ["error", ...CLOCK],
    },
  },
  // Views are pure too: they render the operations' results (their types only) for people and for JSON.
  {
    files: ["src/views/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { ...noImports(SIDE_EFFECTS, "Views only render."), patterns: [{ group: ["**/app/*"], allowTypeImports: true, message: "Views render the operations' results; they call nothing." }, { group: ["**/cli/*", "**/watch/*", "**/web/*"], message: "Views serve every front end." }] },
      ],
      "no-restricted-syntax": ["error", ...CLOCK],
    },
  },
  // …the operations layer knows no front end…
  {
    files: ["src/app/**/*.ts", "src/runner/**/*.ts", "src/rclone/**/*.ts", "src/state/**/*.ts", "src/events/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/cli/*", "**/cli/**", "**/watch/*", "**/web/*"], message: "Lower layers do not import front ends." }] }] },
  },
  // …and commands only parse, call the operations layer and print: no file system, no processes, no other command.
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
