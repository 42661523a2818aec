import type { StringResolver } from "./pointer.js";
import { lineStartsOf, SourceMap } from "./source-map.js";
import { parseSubsetWithReferences, type ReferenceSite } from "./subset-parse.js";

/**
 * Parses a file the quick way, without source positions: the subset parser,
 * else js-yaml, both several times faster than the position-keeping parser. Returns
 * undefined at the first sign of trouble (syntax, duplicate keys, a reference
 * that fails), so that the exact parser can say precisely what and where.
 * `subset`: the subset parser read it, so `placesIn` can place what is found in it.
 */
export async function fastParse(text: string, resolveString: StringResolver, interpolates: (path: readonly string[]) => boolean): Promise<{ value: unknown; subset: boolean } | undefined> {
  // The files people write are in a subset one pass reads several times faster than js-yaml; anything else goes to js-yaml (loaded only then).
  const subset = parseSubsetWithReferences(text);
  if (subset) {
    const value = resolvedAt(subset.value, subset.sites, resolveString, interpolates);
    return value === undefined ? undefined : { value, subset: true };
  }
  const { CORE_SCHEMA, load } = await import("js-yaml");
  let data: unknown;
  let sites: ReferenceSite[] | undefined;
  try {
    // js-yaml defines every key as an own property (never touching prototypes), so the result can be used as it is.
    data = load(text, { schema: CORE_SCHEMA });
    sites = referenceSites(data);
  } catch {
    // Syntax, or nesting deep enough to exhaust the stack: the exact parser says which, and where.
    return undefined;
  }
  const value = sites && resolvedAt(data, sites, resolveString, interpolates);
  return value === undefined ? undefined : { value, subset: false };
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

/**
 * Where js-yaml's tree holds strings with `${`, in document order, as the subset parser tells them;
 * undefined when a node is shared. An alias shares its node: resolving it twice could resolve a `$${`
 * twice, and walking every expansion of nested aliases takes forever. Aliases are the exact path's, which bounds them.
 */
function referenceSites(data: unknown): ReferenceSite[] | undefined {
  const sites: ReferenceSite[] = [];
  const path: string[] = [];
  const seen = new Set<object>();
  const walk = (node: Record<string, unknown> | unknown[]): boolean => {
    if (seen.has(node)) return false;
    seen.add(node);
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const value = (node as Record<string | number, unknown>)[key];
      path.push(String(key));
      if (typeof value === "string" && value.includes("${")) sites.push({ container: node, key, path: [...path] });
      const ok = value === null || typeof value !== "object" || walk(value as Record<string, unknown> | unknown[]);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  return data === null || typeof data !== "object" || walk(data as Record<string, unknown>) ? sites : undefined;
}
