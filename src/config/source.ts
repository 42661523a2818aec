import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "../model/diagnostics.js";
import { pointerOf, type StringResolver } from "./pointer.js";
import { messages } from "./messages.js";
import { SourceMap, type Range } from "./source-map.js";

/**
 * Where a syntax error is to be shown: an unclosed quote at its opening quote
 * (the parser reports it at the end of the file, past the last line), and
 * anything else inside the file.
 */
function syntaxErrorRange(text: string, error: { code: string; message: string; pos: [number, number] }): Range {
  const { code, pos } = error;
  if (code === "MISSING_CHAR" && pos[0] >= text.trimEnd().length) {
    const opening = openingQuote(text);
    if (opening >= 0) return [opening, opening + 1];
  }
  if (/end with a [\]}]$/.test(error.message)) {
    const opening = unclosedBracket(text, pos[0]);
    if (opening >= 0) return [opening, opening + 1];
  }
  const last = Math.max(0, text.trimEnd().length - 1);
  return [Math.min(pos[0], last), Math.min(Math.max(pos[0], pos[1]), last)];
}

/** The offset of a quote that is never closed (a value starting with " or '), or -1. */
function openingQuote(text: string): number {
  const value = /(^|[:\-[{,]\s*)(["'])/gm;
  for (let match = value.exec(text); match; match = value.exec(text)) {
    const at = match.index + match[1]!.length;
    const quote = match[2]!;
    // The end of this quoted scalar: the next quote not escaped ("\"", or '' inside single quotes).
    let i = at + 1;
    for (; i < text.length; i++) {
      if (quote === '"' && text[i] === "\\") i++;
      else if (text[i] === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else break;
      }
    }
    if (i >= text.length) return at;
    value.lastIndex = i + 1;
  }
  return -1;
}

/** The offset of the innermost `[` or `{` still open at `end` (outside quotes and comments), or -1. */
function unclosedBracket(text: string, end: number): number {
  const open: number[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) while (i < end && text[i] !== "\n") i++;
    else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
      for (i++; i < end && text[i] !== c; i++) if (c === '"' && text[i] === "\\") i++;
    } else if (c === "[" || c === "{") open.push(i);
    else if ((c === "]" || c === "}") && open.length > 0) open.pop();
  }
  return open.at(-1) ?? -1;
}

export interface ParsedSource {
  /** The file as plain data (maps are plain objects, keys strings). */
  value: unknown;
  map: SourceMap;
  diagnostics: Diagnostic[];
}

/** Values reached through aliases, at most: nested aliases multiply (a 500-byte file can expand to billions). */
const MAX_EXPANDED_NODES = 200_000;

/**
 * Parses YAML text into plain data while recording every key's and value's
 * source range. Strings pass through `resolveString` (interpolation) when
 * `interpolates(pointer)` says so.
 */
export function parseSource(
  file: string,
  text: string,
  resolveString: StringResolver,
  interpolates: (path: readonly string[]) => boolean,
): ParsedSource {
  const lines = new LineCounter();
  const map = new SourceMap(file, lines.lineStarts);
  const diagnostics: Diagnostic[] = [];
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: false });

  for (const error of document.errors) {
    // The parser recurses once per level; a file nested thousands deep (hostile or broken) runs out of stack.
    const message = /Maximum call stack/.test(error.message) ? messages.tooDeep() : messages.yamlSyntax(error.message);
    diagnostics.push(map.diagnosticAt("error", message, syntaxErrorRange(text, error)));
  }
  for (const warning of document.warnings) diagnostics.push(map.diagnosticAt("warning", warning.message, warning.pos));
  if (document.errors.length > 0) return { value: undefined, map, diagnostics };

  let expanded = 0;
  let insideAlias = 0;
  const visiting = new Set<Node>();

  const build = (node: unknown, path: string[], keyRange: Range | undefined): unknown => {
    if (insideAlias > 0 && ++expanded > MAX_EXPANDED_NODES) throw new TooLarge();
    const pointer = pointerOf(path);
    if (isAlias(node)) {
      const target = node.resolve(document);
      if (!target || visiting.has(target)) {
        diagnostics.push(map.diagnosticAt("error", messages.badAlias(node.source), rangeOf(node)));
        return null;
      }
      visiting.add(target);
      insideAlias++;
      try {
        const value = build(target, path, keyRange);
        map.record(pointer, { key: keyRange, value: rangeOf(node) });
        return value;
      } finally {
        insideAlias--;
        visiting.delete(target);
      }
    }
    if (isMap(node)) {
      map.record(pointer, { key: keyRange, value: rangeOf(node) });
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
          diagnostics.push(map.diagnosticAt("error", messages.badKey(), rangeOf(keyNode) ?? rangeOf(node)));
          continue;
        }
        const key = String(keyNode.value);
        // Checked here rather than by the parser's uniqueKeys, which compares every pair of keys.
        if (Object.hasOwn(result, key)) {
          diagnostics.push(map.diagnosticAt("error", messages.duplicateKey(key), rangeOf(keyNode)));
          continue;
        }
        const value = pair.value === null ? null : build(pair.value, [...path, key], rangeOf(keyNode));
        if (pair.value === null) map.record(pointerOf([...path, key]), { key: rangeOf(keyNode), value: rangeOf(keyNode) });
        // defineProperty, so that a key such as "__proto__" stays an ordinary key.
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    if (isSeq(node)) {
      map.record(pointer, { key: keyRange, value: rangeOf(node) });
      return node.items.map((item, index) => {
        const itemPath = [...path, String(index)];
        if (item === null) {
          map.record(pointerOf(itemPath), { value: rangeOf(node) });
          return null;
        }
        return build(item, itemPath, undefined);
      });
    }
    if (isScalar(node)) {
      const range = rangeOf(node);
      const raw: unknown = node.value;
      const source = text.slice(range[0], range[1]);
      let valueTextStart: number | undefined;
      if (typeof raw === "string") {
        if (node.type === "PLAIN" && source === raw) valueTextStart = range[0];
        else if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && source.slice(1, -1) === raw) valueTextStart = range[0] + 1;
      }
      map.record(pointer, { key: keyRange, value: range, valueTextStart });
      if (typeof raw !== "string" || !interpolates(path)) return raw;
      return resolveString(raw, path, (message, offset) => diagnostics.push(map.diagnostic("error", message, pointer, "value", offset)));
    }
    return null;
  };

  try {
    const value = document.contents === null ? null : build(document.contents, [], undefined);
    return { value, map, diagnostics };
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    diagnostics.push(map.diagnosticAt("error", messages.tooManyNodes(MAX_EXPANDED_NODES), [0, 0]));
    return { value: undefined, map, diagnostics };
  }
}

class TooLarge extends Error {}

function rangeOf(node: unknown): Range {
  const range = (node as { range?: readonly [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : [0, 0];
}
