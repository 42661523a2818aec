// The editor agrees with validate: yaml-language-server (as VS Code, Neovim
// and Helix run it) over LSP, on files that point at the schema `init` writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "../helpers/cli.js";
import { LspClient } from "../helpers/lsp.js";

const server = createRequire(import.meta.url).resolve("yaml-language-server/bin/yaml-language-server");
const dir = tempDir();
let lsp: LspClient;
let version = 0;

interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number } };
}

/** Opens a document and returns the diagnostics the server publishes for it. */
async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  lsp.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: ++version, text } });
  const published = await lsp.waitFor("textDocument/publishDiagnostics", (p: { uri: string }) => p.uri === uri);
  return { uri, diagnostics: (published as { diagnostics: Diagnostic[] }).diagnostics };
}

beforeAll(async () => {
  mkdirSync(dir.path, { recursive: true });
  // The schema as `init` writes it.
  expect((await cli(["init"], { cwd: dir.path })).code).toBe(0);
  lsp = new LspClient(process.execPath, [server, "--stdio"]);
  lsp.configuration = { validate: true, hover: true, completion: true, format: { enable: false }, schemas: {} };
  await lsp.request("initialize", { processId: process.pid, rootUri: pathToFileURL(dir.path).href, capabilities: { textDocument: { hover: { contentFormat: ["markdown"] }, completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } } });
  lsp.notify("initialized", {});
  lsp.notify("workspace/didChangeConfiguration", { settings: { yaml: lsp.configuration } });
}, 30_000);
afterAll(() => {
  lsp?.close();
  dir.remove();
});

const header = "# yaml-language-server: $schema=./cloudsync.schema.json\n";
const task = (extra: string) => `${header}version: 1\ncredentials:\n  nas:\n    type: sftp\n    host: nas.example.com\n    port: \${SFTP_PORT}\ntasks:\n  photos:\n    direction: push\n    transfer_mode: copy\n    path: /srv/photos\n    credential: nas\n    enabled: \${BACKUPS_ON}\n    transfers: \${TRANSFERS}\n${extra}`;

describe("yaml-language-server with cloudsync's schema", () => {
  it("finds nothing wrong with the starter file init writes", async () => {
    const { readFileSync } = await import("node:fs");
    const { diagnostics } = await open("starter.yaml", readFileSync(join(dir.path, "cloudsync.yaml"), "utf8"));
    expect(diagnostics).toEqual([]);
  });

  it("accepts ${…} references where the file does (a port, a boolean, a number or name)", async () => {
    const { diagnostics } = await open("references.yaml", task(""));
    expect(diagnostics).toEqual([]);
  });

  it("still flags real mistakes: a typo of a key, a wrong type, a bad name, with a readable message", async () => {
    const { diagnostics } = await open("mistakes.yaml", `${task("    scedule: daily\n    retries: lots\n")}  Bad_Name:\n    direction: push\n`);
    const messages = diagnostics.map((d) => d.message).join("\n");
    expect(messages).toMatch(/Property scedule is not allowed/);
    expect(messages).toMatch(/Incorrect type\. Expected "integer/);
    expect(messages).toContain("A name is lower-case letters, digits, '_' and '-'");
  });

  it("hover shows a field's explanation, and rclone's examples as one list", async () => {
    const text = `${header}version: 1\ncredentials:\n  offsite:\n    type: s3\n    provider: Minio\n`;
    const { uri } = await open("hover.yaml", text);
    const hover = await lsp.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: { line: 5, character: 6 } });
    expect(hover.contents.value).toContain("Choose your S3 provider.");
    expect(hover.contents.value).toContain("- `Minio`: Minio Object Storage");
    expect(hover.contents.value).toContain("For example:");
    expect(hover.contents.value).not.toMatch(/Example:[\s\S]*Example:/);
  });

  it("completes task keys and offers the snippets for a new task and credential", async () => {
    const text = `${header}version: 1\ntasks:\n  photos:\n    dir\n`;
    const { uri } = await open("complete.yaml", text);
    const keys = await lsp.request<{ items: { label: string }[] }>("textDocument/completion", { textDocument: { uri }, position: { line: 4, character: 7 } });
    expect(keys.items.map((i) => i.label)).toContain("direction");
    const top = `${header}version: 1\ncredentials:\n  \n`;
    const { uri: uri2 } = await open("snippets.yaml", top);
    const snippets = await lsp.request<{ items: { label: string }[] }>("textDocument/completion", { textDocument: { uri: uri2 }, position: { line: 3, character: 2 } });
    expect(snippets.items.map((i) => i.label)).toEqual(expect.arrayContaining(["S3-compatible credential", "SFTP credential"]));
  });
});
