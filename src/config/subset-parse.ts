// The YAML that configuration files are made of, parsed in one pass over the
// lines: block mappings and sequences (also of mappings, `- key: value`),
// plain, single- and double-quoted scalars on one line, one-line flow
// sequences and mappings of scalars, literal blocks (`|`, `|-`) and comments.
// Anything else — anchors, tags, multi-line scalars, other block styles,
// duplicate keys, numbers other than plain decimals, tabs or other white space
// than spaces, control characters, keys longer than YAML allows —
// returns undefined, and the exact parser (yaml@2, with source positions) takes
// the file. A differential test checks that wherever this returns a value, the
// exact parser reads the same, and places every key and value alike.

/** Thrown to give up; caught once, at the top. */
import { pointerOf } from "./pointer.js";
import type { Range, SourceMap } from "./source-map.js";

class NotInSubset extends Error {}

const bail = (): never => {
  throw new NotInSubset();
};

/**
 * A line as most are written: a word for a key; then a plain value that starts with a letter, `/` or `$`
 * and holds no `#`, and no `:` before a space or at its end (nothing plainScalar refuses), or a value
 * quoted without escapes; then maybe a comment.
 */
const USUAL_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(?:([A-Za-z/$](?:[^#:]|:(?! |$))*?)|"([^"\\]*)"|'([^']*)'))?(?: +#.*)?$/;

/** Anything but printable ASCII and newlines: most files have none, and need no closer look. */
const NOT_PLAIN_ASCII = /[^\x20-\x7E\n]/;

/**
 * White space other than spaces and newlines: tabs, carriage returns, a byte-order mark, a no-break space,
 * U+2028… JavaScript's trimming and `\s` take them all for separators, YAML only some, and not everywhere:
 * without them, both mean the space.
 */
const OTHER_WHITESPACE = /[^\S \n]/;

/** What YAML does not allow in a document (control characters, lone surrogates): the exact parser says where. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Deeper than this is not read here (a configuration needs about six levels). */
const MAX_DEPTH = 64;

interface Line {
  indent: number;
  /** The line without its indentation and trailing spaces. */
  text: string;
  /** Offset of the text's first character in the file, and of the end of the line as written (before its newline). */
  at: number;
  end: number;
  /** After `key: |` or `- |`: the lines of the literal block, as written. */
  literal?: string[];
  /** Locating only: the comment lines between this line and the next, where each is indented and where it ends. */
  comments?: { indent: number; end: number }[];
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

// How a key is written: a word (the usual key), or another key as keys may be here.
const WORD_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const OTHER_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** 0 not as keys may be here, 1 a word, 2 another key. One native pattern, as it runs on every line. */
function keyShape(text: string): 0 | 1 | 2 {
  return WORD_KEY.test(text) ? 1 : OTHER_KEY.test(text) ? 2 : 0;
}

/** YAML allows an implicit key up to this long (the exact parser refuses a longer one). */
const LONGEST_KEY = 1024;

/** A mapping key as the exact parser makes it: the scalar, as text (so `True` would become "true", `07` "7": those are left to it). */
function keyOf(text: string, shape = keyShape(text)): string {
  if (text.length > LONGEST_KEY) bail();
  // Words that are only text (the usual key) need no further look; `null:`, `true:`… are keys the exact parser places otherwise.
  if (shape === 1) return SPECIAL_WORDS.has(text) ? bail() : text;
  const value = plainScalar(text);
  if (value !== text && String(value) !== text) bail();
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
  const first = text[0];
  if (first === '"' || first === "'") {
    const { value, rest } = quoted(text);
    endOfValue(rest);
    return value;
  }
  return plainScalar(text);
}

/** What locating a flow collection asks of it: where it starts, what to do with each item; it tells its length. */
interface FlowPlaces {
  at: number;
  item(key: string | number, keyRange: Range | undefined, value: Range, valueTextStart: number | undefined): void;
  length?: number;
}

/** `[a, "b"]` or `{ k: v, k2: "v2" }` on one line, of scalars only. */
function flow(text: string, places?: FlowPlaces): unknown {
  const open = text[0]!;
  const close = open === "[" ? "]" : "}";
  const items: unknown[] = [];
  const mapping: Record<string, unknown> = {};
  let rest = text.slice(1).trimStart();
  const offset = () => places!.at + text.length - rest.length;
  const closed = () => {
    endOfValue(rest.slice(1));
    if (places) places.length = text.length - rest.length + 1;
    return open === "[" ? items : mapping;
  };
  if (rest.startsWith(close)) return closed();
  for (;;) {
    let key: string | undefined;
    let keyRange: Range | undefined;
    if (open === "{") {
      const match = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):\s+/.exec(rest);
      if (!match) bail();
      key = keyOf(match![1]!);
      if (Object.hasOwn(mapping, key)) bail();
      if (places) keyRange = [offset(), offset() + match![1]!.length];
      rest = rest.slice(match![0].length);
    }
    const start = places ? offset() : 0;
    let value: unknown;
    let valueTextStart: number | undefined;
    let length: number;
    if (rest[0] === '"' || rest[0] === "'") {
      const parsed = quoted(rest);
      value = parsed.value;
      length = rest.length - parsed.rest.length;
      if (rest.slice(1, length - 1) === value) valueTextStart = start + 1;
      rest = parsed.rest.trimStart();
    } else {
      const match = /^[^,[\]{}#]*/.exec(rest)!;
      const word = match[0].trimEnd();
      if (word === "" || word.includes(": ") || word.endsWith(":")) bail();
      value = plainScalar(word);
      length = word.length;
      if (typeof value === "string") valueTextStart = start;
      rest = rest.slice(match[0].length);
    }
    places?.item(open === "[" ? items.length : key!, keyRange, [start, start + length], valueTextStart);
    if (open === "[") items.push(value);
    else mapping[key!] = value;
    if (rest[0] === ",") {
      rest = rest.slice(1).trimStart();
      if (rest.startsWith(close)) bail(); // a trailing comma: leave it to the exact parser
      continue;
    }
    if (rest[0] !== close) bail();
    return closed();
  }
}

/** The value written after `key:` or `- ` on the same line. */
function sameLineValue(text: string): unknown {
  const first = text[0];
  return first === "[" || first === "{" ? flow(text) : inlineScalar(text);
}

/** A plain value with its trailing comment removed (quoted and flow values handle comments themselves). */
function withoutComment(text: string): string {
  // Called after the space that follows `key:` or `-`: a # here starts a comment.
  const first = text[0];
  if (first === "#") return "";
  if (first === '"' || first === "'" || first === "[" || first === "{") return text;
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
  private readonly path: string[] = [];
  readonly sites: ReferenceSite[] = [];
  // Locating only, as yaml@2 places things. `end`: where the node parsed last ends, with the comments that
  // belong to it; `collectionEnd`: where the collection closed last ends without its trailing comments;
  // `trailing`: comment lines after the last value that no value took (they go to whichever collection keeps them).
  private end = 0;
  private collectionEnd = 0;
  private trailing: { indent: number; end: number }[] | undefined;

  private readonly textLength: number;

  constructor(
    private readonly lines: LineReader,
    /** When given, every key and value is recorded in it with the range yaml@2 gives it. */
    private readonly map?: SourceMap,
  ) {
    this.textLength = lines.text.length;
  }

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
    // An empty document is the exact parser's to read (as nothing, or as an error).
    const first = this.lines.current ?? bail();
    const value = this.block(first.indent, -1);
    if (this.lines.current) bail();
    this.map?.record("", { value: [first.at, this.collectionEnd] });
    return value;
  }

  /** A mapping or a sequence whose entries are indented exactly `indent`. */
  /** `parent`: the indentation of the collection it is a value in (-1 for the top). */
  private block(indent: number, parent: number): unknown {
    const first = this.lines.current!;
    // A configuration nests a few levels; thousands would exhaust the stack here. The exact parser words it.
    if (first.indent !== indent || this.path.length > MAX_DEPTH) bail();
    return first.text === "-" || first.text.startsWith("- ") ? this.sequence(indent, parent) : this.mapping(indent, parent);
  }

  private mapping(indent: number, parent: number): Record<string, unknown> {
    const into: Record<string, unknown> = {};
    for (let line = this.lines.current; line; line = this.lines.current) {
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      if (this.map) this.trailing = undefined;
      if (!this.map && this.usualLine(into, indent, line)) continue;
      const source = line.text;
      const colon = source.indexOf(":");
      if (colon <= 0) bail();
      const written = source.slice(0, colon);
      const shape = keyShape(written);
      if (shape === 0) bail();
      const key = keyOf(written, shape);
      if (Object.hasOwn(into, key)) bail();
      const after = source.slice(colon + 1);
      if (after !== "" && after[0] !== " ") bail();
      const trimmed = after.trimStart();
      const text = withoutComment(trimmed);
      this.lines.advance();
      // Where the next line starts, before a nested `- key:` rewrites it: a nested block starts there.
      const nextAt = this.map ? (this.lines.current?.at ?? this.textLength) : 0;
      this.path.push(key);
      const value = this.valueAfter(text, indent, false, line);
      into[key] = value;
      if (text !== "") this.noteInline(into, key, value);
      if (this.map) this.locate(indent, [line.at, line.at + colon], line, line.at + colon + 1 + after.length - trimmed.length, trimmed, text, value, nextAt);
      this.path.pop();
    }
    if (this.map) this.close(indent, parent);
    return into;
  }

  /**
   * Reads a line written the way most are (`key: value` with a word for a key, and a value that is plain
   * text or quoted without escapes) with one pattern, into `into`; false for any other line, which the
   * general reading then takes. The pattern runs as native code, which matters in a process that reads one
   * file and ends: the general reading's dozen calls a line are interpreted, not yet compiled.
   */
  private usualLine(into: Record<string, unknown>, indent: number, line: Line): boolean {
    const usual = line.literal ? null : USUAL_LINE.exec(line.text);
    const plain = usual?.[2];
    const written = plain ?? usual?.[3] ?? usual?.[4];
    // No value (a nested block, or null): the general reading's.
    if (!usual || written === undefined) return false;
    const key = keyOf(usual[1]!, 1);
    if (Object.hasOwn(into, key)) bail();
    this.lines.advance();
    // A plain scalar does not continue on the next line here: that is the exact parser's to read.
    const next = this.lines.current;
    if (next && next.indent > indent) bail();
    const value = plain !== undefined && plain.length <= 5 ? plainScalar(plain) : written;
    into[key] = value;
    if (typeof value === "string" && value.includes("${")) this.sites.push({ container: into, key, path: [...this.path, key] });
    return true;
  }

  private sequence(indent: number, parent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.lines.current; line; line = this.lines.current) {
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      // A sequence written at its key's indentation ends where the mapping's next key starts.
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      if (this.map) this.trailing = undefined;
      const trimmed = line.text.slice(1).trimStart();
      const text = withoutComment(trimmed);
      this.path.push(String(items.length));
      // `- key: value` starts a mapping whose other keys line up with `key`: the line is read again as its first.
      const colon = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(\s|$)/.exec(text);
      if (colon && text[0] !== '"' && text[0] !== "'") {
        const inner = indent + (line.text.length - trimmed.length);
        if (line.literal) bail(); // `- key: |`: its block's indentation is the key's, not the dash's
        this.lines.current = { indent: inner, text, at: line.at + inner - indent, end: line.end, comments: line.comments };
        items.push(this.mapping(inner, indent));
        this.map?.record(pointerOf(this.path), { value: [line.at + inner - indent, this.collectionEnd] });
      } else {
        this.lines.advance();
        const nextAt = this.map ? (this.lines.current?.at ?? this.textLength) : 0;
        const value = this.valueAfter(text, indent, true, line);
        if (text !== "") this.noteInline(items, items.length, value);
        items.push(value);
        if (this.map) this.locate(indent, undefined, line, line.at + line.text.length - trimmed.length, trimmed, text, value, nextAt);
      }
      this.path.pop();
    }
    if (this.map) this.close(indent, parent);
    return items;
  }

  /** The value of a key or an item: on its line, a literal block, or a nested block. */
  private valueAfter(text: string, indent: number, inSequence: boolean, line: Line): unknown {
    const next = this.lines.current;
    if (text === "|" || text === "|-") return this.literal(line);
    // A line that looked like `key: |` but is not (its `|` was in a comment): the lines taken as its block are not.
    if (line.literal) bail();
    if (text !== "") {
      // A plain scalar does not continue on the next line here: that is the exact parser's to read.
      if (next && next.indent > indent) bail();
      return sameLineValue(text);
    }
    if (!next || next.indent < indent || (next.indent === indent && !(!inSequence && (next.text === "-" || next.text.startsWith("- "))))) return null;
    return this.block(next.indent, indent);
  }

  /**
   * Records the value just parsed at the current path (and its key's range), with the ranges yaml@2
   * gives: a scalar its text, a block collection from its first entry to the end of its last, a literal
   * block from `|` through its last line; an empty value sits where the line's comment or end is.
   * `indent` is that of the collection the value is in: comment lines indented deeper belong to a scalar.
   */
  private locate(indent: number, key: Range | undefined, line: Line, at: number, trimmed: string, text: string, value: unknown, nextAt: number): void {
    const map = this.map!;
    const pointer = pointerOf(this.path);
    const comments = line.comments ?? [];
    if (value !== null && typeof value === "object" && text === "") {
      // A nested block: it starts at the next line; it has ended, and said where.
      map.record(pointer, { key, value: [nextAt, this.collectionEnd] });
      return;
    }
    if (text === "") {
      // Empty: the comments that follow are its own, up to where the next line's text starts.
      map.record(pointer, { key, value: trimmed[0] === "#" ? [at, at] : [line.end, line.end] });
      this.end = trimmed[0] === "#" || comments.length > 0 ? nextAt : line.end;
      return;
    }
    if (line.literal && (text === "|" || text === "|-")) {
      let start = line.end + 1;
      for (const raw of line.literal) {
        if (raw.trim() !== "") this.end = Math.min(start + raw.length + 1, this.textLength);
        start += raw.length + 1;
      }
      map.record(pointer, { key, value: [at, this.end] });
      this.trailing = comments.length > 0 ? comments : undefined;
      return;
    }
    if (text[0] === "[" || text[0] === "{") {
      const places: FlowPlaces = {
        at,
        item: (inner, keyRange, range, valueTextStart) => map.record(pointerOf([...this.path, String(inner)]), { key: keyRange, value: range, valueTextStart }),
      };
      flow(text, places);
      map.record(pointer, { key, value: [at, at + places.length!] });
    } else if (text[0] === '"' || text[0] === "'") {
      const length = text.length - quoted(text).rest.length;
      map.record(pointer, { key, value: [at, at + length], valueTextStart: text.slice(1, length - 1) === value ? at + 1 : undefined });
    } else {
      map.record(pointer, { key, value: [at, at + text.length], valueTextStart: typeof value === "string" ? at : undefined });
    }
    // A value on its line ends with the line, and with the comment lines right after it indented deeper than its collection.
    let own = 0;
    while (own < comments.length && comments[own]!.indent > indent) own++;
    this.end = own > 0 ? comments[own - 1]!.end : Math.min(line.end + 1, this.textLength);
    this.trailing = own < comments.length ? comments.slice(own) : undefined;
  }

  /** Where the next line starts as written (its indentation included), or the end of the text. */
  private nextLineStart(): number {
    const line = this.lines.current;
    return line ? line.at - line.indent : this.textLength;
  }

  /**
   * A collection indented `indent`, in one indented `parent`, has ended. Comment lines after its last
   * value stay with it when one is indented at least as deep as it, else they go on to its parent; a
   * collection at the left margin never keeps them. Kept, they lengthen it up to the next line written,
   * and past that line's indentation when the line ends the parent too.
   */
  private close(indent: number, parent: number): void {
    this.collectionEnd = this.end;
    if (this.trailing && indent !== 0 && this.trailing.some((comment) => comment.indent >= indent)) {
      const next = this.lines.current;
      this.end = next && next.indent < parent ? next.at : this.nextLineStart();
      this.trailing = undefined;
    }
  }

  /** `|` or `|-`: the body read with its line (see LineReader). */
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
        // A line of spaces beyond the block's indentation is content in YAML: leave that to the exact parser.
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
 * Keys become own properties of plain objects, as with the exact parser.
 */
export function parseSubset(text: string): unknown {
  return parseSubsetWithReferences(text)?.value;
}

/**
 * parseSubset, also telling where the strings with `${` are (in the order they are written);
 * with `map`, also recording every key's and value's source range in it, as the exact parser would.
 */
export function parseSubsetWithReferences(text: string, map?: SourceMap): { value: unknown; sites: ReferenceSite[] } | undefined {
  if (NOT_PLAIN_ASCII.test(text) && (OTHER_WHITESPACE.test(text) || NON_PRINTABLE.test(text))) return undefined;
  try {
    const parser = new Parser(new LineReader(text, map !== undefined), map);
    return { value: parser.parse(), sites: parser.sites };
  } catch (error) {
    if (error instanceof NotInSubset) return undefined;
    throw error;
  }
}

/**
 * The lines with content, read one at a time as the parser goes, so that a line is garbage as soon as the
 * parser has passed it: a process that reads one large file and ends spends much of its time copying
 * what is still alive. Blank lines and comments are skipped (to locate, comments are kept with the line
 * before them); a line that starts a literal block takes the block's lines with it.
 */
class LineReader {
  /** The line the parser is at (undefined at the end); the parser reads a `- key:` line again as `key:`. */
  current: Line | undefined;
  /** Where the next line not read yet starts, and where the one read last started. */
  private next = 0;
  private start = 0;

  constructor(
    readonly text: string,
    private readonly withComments: boolean,
  ) {
    this.current = this.read();
  }

  advance(): void {
    this.current = this.read();
  }

  /** The next line as written, from where reading stopped; undefined past the end. */
  private raw(): string | undefined {
    if (this.next > this.text.length) return undefined;
    this.start = this.next;
    const newline = this.text.indexOf("\n", this.start);
    const raw = this.text.slice(this.start, newline < 0 ? this.text.length : newline);
    this.next = this.start + raw.length + 1;
    return raw;
  }

  private read(): Line | undefined {
    for (let raw = this.raw(); raw !== undefined; raw = this.raw()) {
      const content = raw.trimStart();
      if (content[0] === "#" && this.withComments && this.current) (this.current.comments ??= []).push({ indent: raw.length - content.length, end: Math.min(this.next, this.text.length) });
      if (content === "" || content[0] === "#") continue;
      // A document marker or a directive is the exact parser's.
      if (content.startsWith("---") || content.startsWith("...") || content[0] === "%") bail();
      const indent = raw.length - content.length;
      const trimmed = content.trimEnd();
      const line: Line = { indent, text: trimmed, at: this.start + indent, end: this.start + raw.length };
      // Only a line ending in `|` or `|-` can start a literal block; the pattern is asked only then.
      const tail = trimmed.endsWith("-") ? trimmed.length - 2 : trimmed.length - 1;
      if (trimmed.charCodeAt(tail) === 124 && /(?:^|:\s+|^-\s+)\|-?$/.test(trimmed)) line.literal = this.block(indent);
      return line;
    }
    return undefined;
  }

  /** A literal block's lines: every following line that is blank or indented deeper than `indent`, comments included (they are its text). */
  private block(indent: number): string[] {
    const body: string[] = [];
    for (let resume = this.next, raw = this.raw(); raw !== undefined; resume = this.next, raw = this.raw()) {
      if (raw.trim() !== "" && raw.length - raw.trimStart().length <= indent) {
        this.next = resume;
        break;
      }
      body.push(raw);
    }
    return body;
  }
}
