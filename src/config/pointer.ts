import type { Diagnostic } from "../model/diagnostics.js";

/** An RFC 6901 pointer such as `/tasks/photos/path`, the form ajv reports too. */
export function pointerOf(path: readonly (string | number)[]): string {
  let pointer = "";
  for (const part of path) {
    const text = String(part);
    // Names rarely hold `~` or `/`: only those are escaped (this runs for every reference and many checks).
    pointer += `/${text.includes("~") || text.includes("/") ? text.replace(/~/g, "~0").replace(/\//g, "~1") : text}`;
  }
  return pointer;
}

export function pathOf(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Resolves the references (`${…}`) in a string found at `path`; problems go to `report`. */
export type StringResolver = (raw: string, path: readonly string[], report: (message: string, offsetInValue: number) => void) => string;

/** Turns a problem at a pointer into a diagnostic: with its source position, or without one. */
export interface Locator {
  diagnostic(severity: Diagnostic["severity"], message: string, pointer: string, target?: "key" | "value", offsetInValue?: number): Diagnostic;
}
