/**
 * Splits a command line the way a POSIX shell (and Python's shlex, which
 * TrueNAS uses for `args`) splits words: blanks separate, quotes group,
 * a backslash escapes outside single quotes. Returns null for an unclosed quote.
 */
export function shellWords(line: string): string[] | null {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}

/** A value a POSIX shell reads back exactly, whatever it holds: 'it'\''s'. */
export const shellQuote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
