import { isMap, isScalar, LineCounter, parseDocument } from "yaml";

export interface Location {
  line: number;
  column: number;
}

/** Where an entry (`tasks.photos`, `credentials.offsite`) is defined in the file, 1-based; null if it is not there. */
export function definitionOf(text: string, section: string, name: string): Location | null {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const top = document.contents;
  if (!isMap(top)) return null;
  const group = top.items.find((item) => isScalar(item.key) && item.key.value === section)?.value;
  if (!isMap(group)) return null;
  const key = group.items.find((item) => isScalar(item.key) && item.key.value === name)?.key;
  if (!isScalar(key) || !key.range) return null;
  const { line, col } = lines.linePos(key.range[0]);
  return { line, column: col };
}
