import type { StringResolver } from "./pointer.js";
import { lineStartsOf, SourceMap } from "./source-map.js";
import { parseSubsetWithReferences, type ReferenceSite } from "./subset-parse.js";

/**
 * Parses a file the quick way, without source positions: the subset of YAML
 * configuration files are written in, read in one pass several times faster
 * than the position-keeping parser. Returns undefined for a file outside the
 * subset and at the first sign of trouble (syntax, duplicate keys, a reference
 * that fails): the exact parser then reads it, and says precisely what and where.
 * Every file has one reading: the subset parser's agrees with the exact one's
 * wherever it gives one (a differential test holds it to that).
 */
export function fastParse(text: string, resolveString: StringResolver, interpolates: (path: readonly string[]) => boolean): { value: unknown } | undefined {
  const subset = parseSubsetWithReferences(text);
  if (!subset) return undefined;
  const value = resolvedAt(subset.value, subset.sites, resolveString, interpolates);
  return value === undefined ? undefined : { value };
}

/**
 * Where every key and value of a file the subset parser reads is (a second pass, that records them), as the
 * exact parser places them; undefined for a file outside the subset.
 */
export function placesIn(file: string, text: string): SourceMap | undefined {
  const map = new SourceMap(file, lineStartsOf(text));
  return parseSubsetWithReferences(text, map) && map;
}

/** Resolves the ${…} of the strings at `sites`, where `interpolates` says so; undefined when one fails (the exact path says where). */
function resolvedAt(data: unknown, sites: ReferenceSite[], resolveString: StringResolver, interpolates: (path: readonly string[]) => boolean): unknown {
  let failed = false;
  const fail = () => {
    failed = true;
  };
  for (const { container, key, path } of sites) {
    if (!interpolates(path)) continue;
    const at = container as Record<string | number, unknown>;
    at[key] = resolveString(at[key] as string, path, fail);
    if (failed) return undefined;
  }
  return data;
}
