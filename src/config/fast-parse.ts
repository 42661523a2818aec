import type { StringResolver } from "./pointer.js";
import { parseSubsetWithReferences, type ReferenceSite } from "./subset-parse.js";

/**
 * Parses a file the quick way, without source positions: the subset parser,
 * else js-yaml, both several times faster than the position-keeping parser. Returns
 * undefined at the first sign of trouble (syntax, duplicate keys, a reference
 * that fails), so that the exact parser can say precisely what and where.
 */
export async function fastParse(text: string, resolveString: StringResolver, interpolates: (path: readonly string[]) => boolean): Promise<unknown> {
  // The files people write are in a subset one pass reads several times faster than js-yaml; anything else goes to js-yaml (loaded only then).
  const subset = parseSubsetWithReferences(text);
  if (subset) return resolvedAt(subset.value, subset.sites, resolveString, interpolates);
  const { CORE_SCHEMA, load } = await import("js-yaml");
  let data: unknown;
  try {
    // js-yaml defines every key as an own property (never touching prototypes), so the result can be used as it is.
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return interpolated(data, resolveString, interpolates);
}

/** Resolves the ${…} of the strings the subset parser found, where `interpolates` says so; undefined when one fails. */
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

/** Resolves the ${…} of every string where `interpolates` says so; undefined when one fails (the exact path says where). */
function interpolated(data: unknown, resolveString: StringResolver, interpolates: (path: readonly string[]) => boolean): unknown {
  let failed = false;
  const fail = () => {
    failed = true;
  };
  const path: string[] = [];
  const seen = new Set<object>();
  const visit = (container: Record<string, unknown> | unknown[], key: string | number) => {
    const value = (container as Record<string | number, unknown>)[key];
    if (typeof value === "string") {
      if (!value.includes("${")) return;
      path.push(String(key));
      if (interpolates(path)) (container as Record<string | number, unknown>)[key] = resolveString(value, path, fail);
      path.pop();
    } else if (value !== null && typeof value === "object") {
      path.push(String(key));
      walk(value as Record<string, unknown> | unknown[]);
      path.pop();
    }
  };
  const walk = (node: Record<string, unknown> | unknown[]) => {
    // An alias shares its node; resolving it twice could resolve a `$${` twice, and walking every
    // expansion of nested aliases takes forever. Leave aliases to the exact path, which bounds them.
    if (failed) return;
    if (seen.has(node)) {
      failed = true;
      return;
    }
    seen.add(node);
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) visit(node, i);
    else for (const key of Object.keys(node)) visit(node, key);
  };
  if (data !== null && typeof data === "object") walk(data as Record<string, unknown>);
  return failed ? undefined : data;
}
