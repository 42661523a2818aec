// Reading the file's data before it is trusted: the schema has reported any
// field of the wrong type already, so here such a field reads as its default.

export type Fields = Record<string, unknown>;
/** A mapping as read from the file: the schema's keys, values not yet trusted. */
export type Unchecked<T> = { [K in keyof T]?: unknown };
/** Where a value is in the file, as keys and indexes from the top. */
export type Path = (string | number)[];

export function fields<T = Fields>(value: unknown): Unchecked<T> & Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : {};
}
export const isMapping = (value: unknown): value is Fields => value !== null && typeof value === "object" && !Array.isArray(value);
export const text = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);
export const textOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);
export const flag = (value: unknown, fallback: boolean): boolean => (typeof value === "boolean" ? value : fallback);
export const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
export const whole = (value: unknown, fallback: number): number => (Number.isInteger(value) ? (value as number) : fallback);
