/** A surrogate: the only thing that makes a string's length in code points differ from its length. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A string's length in code points, as JSON Schema's minLength and maxLength count it. The build makes the
 * schema validator use this instead of ajv's, which counts character by character for every string of the
 * file (~1.5 ms of a validate of 1,000 tasks): most strings have no surrogate, and are measured natively.
 */
export default function codePointLength(text: string): number {
  return SURROGATE.test(text) ? [...text].length : text.length;
}
