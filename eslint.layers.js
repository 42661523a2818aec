// Where each part of src/ may reach: the arrows of docs/development.md ("The layers"), as lint rules.
// A folder imports its own files, the files at src/'s top (errors, clock, version, result) and the
// folders named here: nothing above it, no front end another front end. test/layers.test.ts plants
// a forbidden import in each folder and expects the lint to refuse it.

/** Every folder of src/ and what it may import, from the top down. */
export const LAYERS = {
  // The composition root: the process's entry, the one place that knows every front end.
  entry: "everything",
  // Front ends: parse input, call src/app, render a view, set exit codes.
  cli: ["app", "views", "events", "model"],
  web: ["app", "views", "events", "model", "net"],
  watch: ["app", "events", "model", "scheduler"],
  // The operations layer: every use case, whoever calls it.
  app: ["config", "plan", "runner", "export", "import", "rclone", "state", "process", "secrets", "scheduler", "notify", "metrics", "fleet", "events", "views", "model", "net"],
  // Subscribers of the event stream.
  notify: ["events", "views", "config", "state", "process", "secrets", "model", "net"],
  metrics: ["events", "state", "rclone", "scheduler", "model", "net"],
  fleet: ["events", "state", "rclone", "model"],
  events: ["model"],
  // One human and one JSON rendering per result.
  views: ["plan", "config", "rclone", "scheduler", "model"],
  // The pure core, and the pure halves of export and import.
  export: ["plan", "config", "model"],
  import: ["config", "model"],
  config: ["model"],
  plan: ["model"],
  // One run, and what it stands on.
  runner: ["config", "plan", "rclone", "state", "process", "secrets", "model"],
  rclone: ["state", "process", "secrets", "model"],
  state: ["process", "model"],
  scheduler: ["model"],
  secrets: ["model"],
  net: ["model"],
  process: ["model"],
  model: [],
};

/** Folders that touch no file system, process or clock, not even through import(). */
export const PURE = ["config", "plan", "model", "views", "export", "import"];

const SIDE_EFFECTS = ["node:fs", "node:fs/promises", "fs", "fs/promises", "node:child_process", "child_process", "execa", "node:timers", "node:timers/promises", "node:worker_threads"];
const CHILD_PROCESSES = ["node:child_process", "child_process", "execa"];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The lint rules for one folder of src/. */
function rulesFor(folder) {
  const allowed = LAYERS[folder];
  const forbidden = allowed === "everything" ? [] : Object.keys(LAYERS).filter((other) => other !== folder && !allowed.includes(other));
  const pure = PURE.includes(folder);
  const modules = [...new Set([...(pure ? SIDE_EFFECTS : []), ...(folder === "process" || folder === "entry" ? [] : CHILD_PROCESSES)])];
  const why = pure ? "this folder is pure: it takes everything as arguments" : "every child process goes through src/process";
  const restricted = {
    paths: modules.map((name) => ({ name, message: `${why}.` })),
    patterns: forbidden.length > 0 ? [{ regex: `(^|/)(${forbidden.map(escape).join("|")})/`, message: `src/${folder} may import only ${allowed.join(", ") || "nothing but itself"} (docs/development.md, "The layers").` }] : [],
  };
  const syntax = [
    ...(forbidden.length > 0 ? [{ selector: `ImportExpression[source.value=/(^|\\/)(${forbidden.join("|")})\\//]`, message: `src/${folder} may not import() that folder (docs/development.md, "The layers").` }] : []),
    ...(pure
      ? [
          // Its own modules may be loaded when first needed (startup time); nothing else.
          { selector: "ImportExpression:not([source.value=/^\\.\\//])", message: "A pure folder loads only its own modules at run time." },
          { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "A pure folder takes the time as an argument." },
          { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "A pure folder takes the time as an argument." },
        ]
      : []),
  ];
  return {
    files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`],
    ignores: folder === "web" ? ["src/web/page/**"] : [],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", restricted],
      ...(syntax.length > 0 ? { "no-restricted-syntax": ["error", ...syntax] } : {}),
      ...(pure ? { "no-restricted-globals": ["error", ...["process", "performance", "setTimeout", "setInterval", "setImmediate"].map((name) => ({ name, message: "A pure folder takes the environment and the time as arguments." }))] } : {}),
    },
  };
}

/** The page runs in the browser: it reaches the server through its API, and shares only the views' types and formatting. */
const PAGE = {
  files: ["src/web/page/**/*.ts", "src/web/page/**/*.tsx"],
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: [
          { regex: "^\\.\\./\\.\\./views/(?!format\\.js$)", allowTypeImports: true, message: "The page takes the views' types; it runs only their formatting (views/format)." },
          { regex: `^\\.\\./\\.\\./(?!views/)`, message: "The page runs in the browser: it imports nothing of the server's but the views." },
          { regex: "^\\.\\./(?!\\.\\./)", message: "The page runs in the browser: it imports nothing of the server's." },
        ],
      },
    ],
  },
};

export const layerRules = [...Object.keys(LAYERS).map(rulesFor), PAGE];
