// The names in a configuration (tasks, credentials, notification channels), for
// shell completion: read from the file as it stands, whatever else is wrong
// with it, and from what is applied. Never fails: what cannot be read adds nothing.
import { parseSubset } from "../config/subset-parse.js";
import { locateStore, readConfigText, type Workspace } from "./workspace.js";

export interface ConfigNames {
  tasks: string[];
  credentials: string[];
  channels: string[];
}

const keysOf = (value: unknown): string[] => (value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : []);

async function parsed(text: string): Promise<Record<string, unknown>> {
  const quick = parseSubset(text);
  if (quick !== undefined) return (quick ?? {}) as Record<string, unknown>;
  // Outside the subset (or broken): the full parser, which gives what it could read.
  const { parseDocument } = await import("yaml");
  const value: unknown = parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 });
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

export async function configNames(ws: Workspace): Promise<ConfigNames> {
  const names = { tasks: new Set<string>(), credentials: new Set<string>(), channels: new Set<string>() };
  try {
    const read = readConfigText(ws);
    if ("text" in read) {
      const data = await parsed(read.text);
      for (const name of keysOf(data.tasks)) names.tasks.add(name);
      for (const name of keysOf(data.credentials)) names.credentials.add(name);
      for (const name of keysOf(data.notifications)) names.channels.add(name);
    }
  } catch {
    // a file that cannot be read names nothing
  }
  try {
    const applied = (await locateStore(ws)).store.read();
    for (const name of Object.keys(applied.tasks)) names.tasks.add(name);
    for (const name of Object.keys(applied.credentials)) names.credentials.add(name);
    for (const name of Object.keys(applied.notifications)) names.channels.add(name);
  } catch {
    // nothing applied, or a state that cannot be read
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return { tasks: sorted(names.tasks), credentials: sorted(names.credentials), channels: sorted(names.channels) };
}
