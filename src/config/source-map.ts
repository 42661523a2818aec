import type { Diagnostic } from "../model/diagnostics.js";
import { pathOf, pointerOf, type Locator } from "./pointer.js";

/** [start, end) character offsets in the source text. */
export type Range = readonly [number, number];

export interface Located {
  key?: Range;
  value: Range;
  /** Maps an index in the value's string to a source offset, when the two line up. */
  valueTextStart?: number;
}

/** The offsets where the lines of `text` start, as yaml's LineCounter records them: 0, and after every newline. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

/**
 * Where each value of the file came from, so any later check can point at it.
 * Filled by either parser: the exact one (yaml@2's ranges) or the subset parser, which records the same ranges.
 */
export class SourceMap implements Locator {
  readonly #entries = new Map<string, Located>();

  constructor(
    readonly file: string,
    /** Ascending line-start offsets (filled as the parser goes, for the exact one). */
    private readonly lineStarts: readonly number[],
  ) {}

  record(pointer: string, located: Located): void {
    this.#entries.set(pointer, located);
  }

  /**
   * The range of a key or value. A pointer that does not exist in the file (a
   * missing key) resolves to its nearest ancestor's key, which is where a user
   * would add it.
   */
  range(pointer: string, target: "key" | "value" = "value", offsetInValue?: number): Range {
    let path = pathOf(pointer);
    let entry = this.#entries.get(pointer);
    while (!entry && path.length > 0) {
      path = path.slice(0, -1);
      entry = this.#entries.get(pointerOf(path));
      target = "key";
    }
    if (!entry) return [0, 0];
    if (target === "key" && entry.key) return entry.key;
    if (offsetInValue !== undefined && entry.valueTextStart !== undefined) {
      const start = entry.valueTextStart + offsetInValue;
      return [start, start + 1];
    }
    return entry.value;
  }

  diagnostic(
    severity: Diagnostic["severity"],
    message: string,
    pointer: string,
    target: "key" | "value" = "value",
    offsetInValue?: number,
  ): Diagnostic {
    return this.diagnosticAt(severity, message, this.range(pointer, target, offsetInValue));
  }

  diagnosticAt(severity: Diagnostic["severity"], message: string, range: Range): Diagnostic {
    const start = this.linePos(range[0]);
    const end = this.linePos(Math.max(range[0], range[1]));
    return {
      severity,
      message,
      file: this.file,
      line: start.line,
      column: start.col,
      endLine: end.line,
      endColumn: end.col,
    };
  }

  /** 1-based line and column of an offset, as yaml's LineCounter.linePos gives them. */
  private linePos(offset: number): { line: number; col: number } {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1]! + 1 };
  }
}
