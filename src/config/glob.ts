// rclone's filter patterns, checked as rclone 1.60 parses them (fs/filter/glob.go),
// so that a pattern rclone would refuse is a located error at validate time
// instead of a failed run at 3 a.m.

const checkedPatterns = new Map<string, string | undefined>();

/**
 * Why rclone would refuse this filter pattern, or undefined if it accepts it.
 * Mirrors rclone's glob-to-regexp translation: brackets pass through, braces
 * become alternations (not nested), `{{…}}` is a raw regular expression, and
 * more than two stars in a row are an error. The same patterns recur across
 * tasks, so each is checked once.
 */
export function globProblem(pattern: string): string | undefined {
  if (!checkedPatterns.has(pattern)) checkedPatterns.set(pattern, checkGlob(pattern));
  return checkedPatterns.get(pattern);
}

function checkGlob(pattern: string): string | undefined {
  if (pattern.trim() === "") return "a pattern may not be empty or blank";
  let regexp = pattern.startsWith("/") ? "^" : "(^|/)";
  let stars = 0;
  let inBraces = false;
  let inBrackets = 0;
  let escaped = false;
  let inRegexp = false;
  let inRegexpEnd = false;
  let last = "";
  let previous = "";
  const flushStars = (): string | undefined => {
    if (stars > 2) return `more than two "*" in a row ("***") mean nothing to rclone; use "*" or "**"`;
    regexp += stars === 1 ? "[^/]*" : stars === 2 ? ".*" : "";
    stars = 0;
    return undefined;
  };
  const body = pattern.startsWith("/") ? pattern.slice(1) : pattern;
  for (const c of body) {
    [last, previous] = [previous, c];
    if (escaped) {
      regexp += c;
      escaped = false;
      continue;
    }
    if (inRegexpEnd) {
      if (c === "}") {
        regexp = `${regexp.slice(0, -1)}})`;
        continue;
      }
      inRegexpEnd = false;
    }
    if (inRegexp) {
      if (c === "}" && last === "}") {
        inRegexp = false;
        inRegexpEnd = true;
        regexp = `${regexp.slice(0, -1)})`;
      } else regexp += c;
      continue;
    }
    if (c !== "*") {
      const problem = flushStars();
      if (problem) return problem;
    }
    if (inBrackets > 0) {
      regexp += c;
      if (c === "[") inBrackets++;
      if (c === "]") inBrackets--;
      continue;
    }
    switch (c) {
      case "\\":
        regexp += c;
        escaped = true;
        break;
      case "*":
        stars++;
        break;
      case "?":
        regexp += "[^/]";
        break;
      case "[":
        regexp += c;
        inBrackets++;
        break;
      case "]":
        return `"]" has no "[" before it (write "\\]" for the character itself)`;
      case "{":
        if (inBraces && last === "{") {
          inRegexp = true;
          inBraces = false;
        } else if (inBraces) return `"{" … "}" groups cannot be nested`;
        else {
          inBraces = true;
          regexp += "(";
        }
        break;
      case "}":
        if (!inBraces) return `"}" has no "{" before it (write "\\}" for the character itself)`;
        regexp += ")";
        inBraces = false;
        break;
      case ",":
        regexp += inBraces ? "|" : c;
        break;
      case ".":
      case "+":
      case "(":
      case ")":
      case "|":
      case "^":
      case "$":
        regexp += `\\${c}`;
        break;
      default:
        regexp += c;
    }
  }
  const problem = flushStars();
  if (problem) return problem;
  if (inBrackets > 0) return `"[" is not closed by "]" (write "\\[" for the character itself)`;
  if (inBraces) return `"{" is not closed by "}" (write "\\{" for the character itself)`;
  if (inRegexp) return `"{{" is not closed by "}}"`;
  regexp += "$";
  // Go's regular expressions have syntax JavaScript lacks ((?i), \pL); check only what both read alike.
  if (/\(\?|\\[pPQE]/.test(regexp)) return undefined;
  try {
    new RegExp(asJavaScriptClasses(regexp));
  } catch (error) {
    return `rclone cannot read it as a pattern: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/: /, "")}`;
  }
  return undefined;
}

/** Go reads "]" first in a class ("[]a]", "[^]a]") as a literal; JavaScript reads "[]" as an empty class. */
function asJavaScriptClasses(regexp: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < regexp.length; i++) {
    const c = regexp[i]!;
    if (c === "\\") {
      out += c + (regexp[i + 1] ?? "");
      i++;
      continue;
    }
    if (!inClass && c === "[") {
      inClass = true;
      out += c;
      if (regexp[i + 1] === "^") out += regexp[++i];
      if (regexp[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (inClass && c === "]") inClass = false;
    out += c;
  }
  return out;
}
