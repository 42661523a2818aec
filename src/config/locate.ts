import { isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from "yaml";

export interface Location {
  line: number;
  column: number;
}

/** An entry as written: where it starts (1-based) and its lines, exactly as in the file. */
export interface Written extends Location {
  text: string;
}

/** The pair of an entry (`tasks.photos`, `credentials.offsite`) in the file, and how to place it. */
function entryPair(text: string, section: string, name: string) {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const top = document.contents;
  if (!isMap(top)) return null;
  const group = top.items.find((item) => isScalar(item.key) && item.key.value === section)?.value;
  if (!isMap(group)) return null;
  const pair = group.items.find((item) => isScalar(item.key) && item.key.value === name) as Pair<Node, Node | null> | undefined;
  if (!pair || !isScalar(pair.key) || !pair.key.range) return null;
  return { pair, lines };
}

/** Where an entry (`tasks.photos`, `credentials.offsite`) is defined in the file, 1-based; null if it is not there. */
export function definitionOf(text: string, section: string, name: string): Location | null {
  const found = entryPair(text, section, name);
  if (!found) return null;
  const { line, col } = found.lines.linePos(found.pair.key.range![0]);
  return { line, column: col };
}

/** An entry's lines exactly as the file has them (from its key's line to its value's last), and where they start. */
export function writtenEntry(text: string, section: string, name: string): Written | null {
  const found = entryPair(text, section, name);
  if (!found) return null;
  const start = found.pair.key.range![0];
  const end = (found.pair.value ?? found.pair.key).range![1];
  const from = text.lastIndexOf("\n", start - 1) + 1;
  const { line, col } = found.lines.linePos(start);
  return { line, column: col, text: text.slice(from, end).replace(/\s+$/, "") };
}
