// The YAML that configuration files are made of, parsed in one pass over the
// lines: block mappings and sequences (also of mappings, `- key: value`),
// plain, single- and double-quoted scalars on one line, one-line flow
// sequences and mappings of scalars, literal blocks (`|`, `|-`) and comments.
// Anything else — anchors, tags, multi-line scalars, other block styles,
// duplicate keys, numbers other than plain decimals, tabs in indentation —
// returns undefined, and js-yaml (then the exact parser) takes the file. A
// property test checks that wherever this returns a value, js-yaml agrees.

/** Thrown to give up; caught once, at the top. */
class NotInSubset extends Error {}

const bail = (): never => {
  throw new NotInSubset();
};

interface Line {
  indent: number;
  /** The line without its indentation and trailing spaces. */
  text: string;
  /** After `key: |` or `- |`: the lines of the literal block, as written. */
  literal?: string[];
}

// Plain scalars YAML's core schema reads as numbers (or might: underscores, other bases, infinities).
const NUMBER_LIKE = /^[-+]?(?:[0-9._]+(?:[eE][-+]?[0-9_]+)?|0[xXoObB][0-9a-fA-F_]*|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
const DECIMAL = /^-?(?:0|[1-9][0-9]{0,14})$/;
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLEANS = new Map([["true", true], ["True", true], ["TRUE", true], ["false", false], ["False", false], ["FALSE", false]]);
// Characters a plain scalar may not start with (indicators); `-` only before a space (`--flag` is text).
const INDICATOR_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?:\s|$))/;
const SPECIAL_WORDS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "__proto__"]);

const isLetter = (code: number) => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * How a key is written: 0 not as keys may be here (`[A-Za-z0-9_][A-Za-z0-9_./-]*`), 1 a word
 * (`[A-Za-z_][A-Za-z0-9_-]*`), 2 another key. By character codes, as it runs on every line.
 */
function keyShape(text: string): 0 | 1 | 2 {
  const first = text.charCodeAt(0);
  if (!(isLetter(first) || isDigit(first) || first === 95)) return 0;
  let shape: 1 | 2 = isDigit(first) ? 2 : 1;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isLetter(code) || isDigit(code) || code === 95 || code === 45) continue;
    if (code === 46 || code === 47) shape = 2;
    else return 0;
  }
  return shape;
}

/** A mapping key as js-yaml makes it: the scalar, as text (so `True` would become "true", `07` "7": those are left to it). */
function keyOf(text: string, shape = keyShape(text)): string {
  // Words that are only text (the usual key) need no further look.
  if (shape === 1 && !SPECIAL_WORDS.has(text)) return text;
  const value = plainScalar(text);
  if (value !== text && String(value) !== text) bail();
  if (text === "__proto__" || text === "<<") bail();
  return text;
}

function plainScalar(text: string): unknown {
  // Text that starts with a letter or a slash (most values) is no number and no indicator: only the words need a look.
  const first = text.charCodeAt(0);
  if (isLetter(first) || first === 47) {
    if (text.length <= 5 && SPECIAL_WORDS.has(text)) return NULLS.has(text) ? null : BOOLEANS.get(text);
    if (text.includes(": ") || text.includes(" #") || text.endsWith(":")) bail();
    return text;
  }
  if (NULLS.has(text)) return null;
  const flag = BOOLEANS.get(text);
  if (flag !== undefined) return flag;
  if (DECIMAL.test(text) && !/^-?0./.test(text)) return Number(text);
  if (NUMBER_LIKE.test(text) || INDICATOR_START.test(text) || text.includes(": ") || text.includes(" #") || text.endsWith(":")) bail();
  return text;
}

const ESCAPES = new Map([['"', '"'], ["\\", "\\"], ["/", "/"], ["n", "\n"], ["t", "\t"], ["r", "\r"], ["0", "\0"], [" ", " "]]);

/** A quoted scalar starting at `text[0]`; its value and the rest of the text after it. */
function quoted(text: string): { value: string; rest: string } {
  const quote = text[0]!;
  // Most quoted scalars have nothing to unescape.
  const end = text.indexOf(quote, 1);
  if (end > 0 && (quote === "'" ? text[end + 1] !== "'" : !text.slice(1, end).includes("\\"))) return { value: text.slice(1, end), rest: text.slice(end + 1) };
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") {
        if (text[i + 1] === "'") {
          value += "'";
          i++;
        } else return { value, rest: text.slice(i + 1) };
      } else value += c;
    } else if (c === "\\") {
      const next = text[i + 1];
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 5;
      } else if (next !== undefined && ESCAPES.has(next)) {
        value += ESCAPES.get(next);
        i++;
      } else bail();
    } else if (c === '"') return { value, rest: text.slice(i + 1) };
    else value += c;
  }
  return bail();
}

/** What may follow a value on its line: nothing, or a comment. */
function endOfValue(rest: string): void {
  if (rest !== "" && !/^\s+(#.*)?$/.test(rest)) bail();
}

/** A scalar written on one line, quoted or plain (the comment already removed for plain ones). */
function inlineScalar(text: string): unknown {
  if (text[0] === '"' || text[0] === "'") {
    const { value, rest } = quoted(text);
    endOfValue(rest);
    return value;
  }
  return plainScalar(text);
}

/** `[a, "b"]` or `{ k: v, k2: "v2" }` on one line, of scalars only. */
function flow(text: string): unknown {
  const open = text[0]!;
  const close = open === "[" ? "]" : "}";
  const items: unknown[] = [];
  const mapping: Record<string, unknown> = {};
  let rest = text.slice(1).trimStart();
  if (rest.startsWith(close)) {
    endOfValue(rest.slice(1));
    return open === "[" ? items : mapping;
  }
  for (;;) {
    let key: string | undefined;
    if (open === "{") {
      const match = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):\s+/.exec(rest);
      if (!match) bail();
      key = keyOf(match![1]!);
      if (Object.hasOwn(mapping, key)) bail();
      rest = rest.slice(match![0].length);
    }
    let value: unknown;
    if (rest[0] === '"' || rest[0] === "'") {
      const parsed = quoted(rest);
      value = parsed.value;
      rest = parsed.rest.trimStart();
    } else {
      const match = /^[^,[\]{}#]*/.exec(rest)!;
      const word = match[0].trimEnd();
      if (word === "" || word.includes(": ") || word.endsWith(":")) bail();
      value = plainScalar(word);
      rest = rest.slice(match[0].length);
    }
    if (open === "[") items.push(value);
    else mapping[key!] = value;
    if (rest[0] === ",") {
      rest = rest.slice(1).trimStart();
      if (rest.startsWith(close)) bail(); // a trailing comma: leave it to js-yaml
      continue;
    }
    if (rest[0] !== close) bail();
    endOfValue(rest.slice(1));
    return open === "[" ? items : mapping;
  }
}

/** The value written after `key:` or `- ` on the same line. */
function sameLineValue(text: string): unknown {
  if (text[0] === "[" || text[0] === "{") return flow(text);
  return inlineScalar(text);
}

/** A plain value with its trailing comment removed (quoted and flow values handle comments themselves). */
function withoutComment(text: string): string {
  // Called after the space that follows `key:` or `-`: a # here starts a comment.
  if (text[0] === "#") return "";
  if (text[0] === '"' || text[0] === "'" || text[0] === "[" || text[0] === "{") return text;
  if (!text.includes("#")) return text;
  const hash = text.search(/\s#/);
  return (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
}

/** A string holding `${`, where it sits: references get resolved without walking the whole tree again. */
export interface ReferenceSite {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  /** The keys down to it, indices as text. */
  path: string[];
}

class Parser {
  private index = 0;
  private readonly path: string[] = [];
  readonly sites: ReferenceSite[] = [];

  constructor(private readonly lines: Line[]) {}

  /** Notes the strings with `${` of a value written on its line (a scalar, or a flow collection of scalars). */
  private noteInline(container: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
    if (typeof value === "string") {
      if (value.includes("${")) this.sites.push({ container, key, path: [...this.path] });
    } else if (value !== null && typeof value === "object") {
      const collection = value as Record<string, unknown>;
      for (const inner of Object.keys(collection)) {
        this.path.push(inner);
        this.noteInline(collection, Array.isArray(value) ? Number(inner) : inner, collection[inner]);
        this.path.pop();
      }
    }
  }

  parse(): unknown {
    // An empty document is js-yaml's to read (as nothing, or as an error).
    if (this.lines.length === 0) bail();
    const value = this.block(this.lines[0]!.indent);
    if (this.index < this.lines.length) bail();
    return value;
  }

  /** A mapping or a sequence whose entries are indented exactly `indent`. */
  private block(indent: number): unknown {
    const first = this.lines[this.index]!;
    if (first.indent !== indent) bail();
    return first.text === "-" || first.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number, into: Record<string, unknown> = {}): Record<string, unknown> {
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      const colon = line.text.indexOf(":");
      if (colon <= 0) bail();
      const written = line.text.slice(0, colon);
      const shape = keyShape(written);
      if (shape === 0) bail();
      const key = keyOf(written, shape);
      if (Object.hasOwn(into, key)) bail();
      const after = line.text.slice(colon + 1);
      if (after !== "" && after[0] !== " ") bail();
      const text = withoutComment(after.trimStart());
      this.index++;
      this.path.push(key);
      const value = this.valueAfter(text, indent, false, line);
      into[key] = value;
      if (text !== "") this.noteInline(into, key, value);
      this.path.pop();
    }
    return into;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      // A sequence written at its key's indentation ends where the mapping's next key starts.
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      const text = withoutComment(line.text.slice(1).trimStart());
      this.index++;
      // `- key: value` starts a mapping whose other keys line up with `key`.
      const colon = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(\s|$)/.exec(text);
      if (colon && text[0] !== '"' && text[0] !== "'") {
        const inner = indent + (line.text.length - line.text.slice(1).trimStart().length);
        if (line.literal) bail(); // `- key: |`: its block's indentation is the key's, not the dash's
        this.lines[--this.index] = { indent: inner, text };
        this.path.push(String(items.length));
        items.push(this.mapping(inner));
        this.path.pop();
      } else {
        this.path.push(String(items.length));
        const value = this.valueAfter(text, indent, true, line);
        if (text !== "") this.noteInline(items, items.length, value);
        items.push(value);
        this.path.pop();
      }
    }
    return items;
  }

  /** The value of a key or an item: on its line, a literal block, or a nested block. */
  private valueAfter(text: string, indent: number, inSequence: boolean, line: Line): unknown {
    const next = this.lines[this.index];
    if (text === "|" || text === "|-") return this.literal(line);
    // A line that looked like `key: |` but is not (its `|` was in a comment): the lines taken as its block are not.
    if (line.literal) bail();
    if (text !== "") {
      // A plain scalar does not continue on the next line here: that is js-yaml's to read.
      if (next && next.indent > indent) bail();
      return sameLineValue(text);
    }
    if (!next || next.indent < indent || (next.indent === indent && !(!inSequence && (next.text === "-" || next.text.startsWith("- "))))) return null;
    return this.block(next.indent);
  }

  /** `|` or `|-`: the body gathered with its line (see parseSubset). */
  private literal(line: Line): string {
    const body = line.literal ?? bail();
    let blockIndent = -1;
    for (const raw of body) {
      const content = raw.trimStart();
      if (content === "") continue;
      blockIndent = raw.length - content.length;
      break;
    }
    if (blockIndent <= line.indent) bail();
    const kept = body.map((raw) => {
      if (raw.trim() === "") {
        // A line of spaces beyond the block's indentation is content in YAML: leave that to js-yaml.
        if (raw.length > blockIndent) bail();
        return "";
      }
      if (raw.length - raw.trimStart().length < blockIndent) bail();
      return raw.slice(blockIndent);
    });
    while (kept.length > 0 && kept.at(-1) === "") kept.pop();
    return line.text.endsWith("-") ? kept.join("\n") : `${kept.join("\n")}\n`;
  }
}

/**
 * Parses `text` if it is made only of the subset above; undefined otherwise.
 * Keys become own properties of plain objects, as with js-yaml.
 */
export function parseSubset(text: string): unknown {
  return parseSubsetWithReferences(text)?.value;
}

/** parseSubset, also telling where the strings with `${` are (in the order they are written). */
export function parseSubsetWithReferences(text: string): { value: unknown; sites: ReferenceSite[] } | undefined {
  if (text.includes("\r") || text.includes("\t") || text.startsWith("\uFEFF")) return undefined;
  const raws = text.split("\n");
  const lines: Line[] = [];
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    const content = raw.trimStart();
    if (content === "" || content[0] === "#") continue;
    if (content.startsWith("---") || content.startsWith("...") || content[0] === "%") return undefined;
    const line: Line = { indent: raw.length - content.length, text: content.trimEnd() };
    // Only a line ending in `|` or `|-` can start a literal block; the pattern is asked only then.
    const tail = line.text.endsWith("-") ? line.text.length - 2 : line.text.length - 1;
    if (line.text.charCodeAt(tail) === 124 && /(?:^|:\s+|^-\s+)\|-?$/.test(line.text)) {
      // The block: every following line that is blank or more indented, comments included (they are its text).
      const body: string[] = [];
      while (i + 1 < raws.length && (raws[i + 1]!.trim() === "" || raws[i + 1]!.length - raws[i + 1]!.trimStart().length > line.indent)) body.push(raws[++i]!);
      line.literal = body;
    }
    lines.push(line);
  }
  try {
    const parser = new Parser(lines);
    return { value: parser.parse(), sites: parser.sites };
  } catch (error) {
    if (error instanceof NotInSubset) return undefined;
    throw error;
  }
}
