/**
 * Pattern helpers shared by the matchers: Tornado-style pattern strings (Python regex syntax,
 * `$` appended, matched from the start), the literal prefix used by the route index, and the
 * reverse template (Tornado: PathMatches._find_groups, util.re_unescape).
 */

import { RouteError } from "../errors";

/** Python-only regex syntax rewritten to JavaScript: `(?P<name>` and `(?P=name)`. */
export function pythonToJsSource(pattern: string): string {
  if (!pattern.includes("(?P")) return pattern;
  return pattern.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, "(?<$1>").replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, "\\k<$1>");
}

/** A string pattern as Tornado takes it: `$` appended if missing. */
export function withEndAnchor(pattern: string): string {
  return pattern.endsWith("$") ? pattern : pattern + "$";
}

/**
 * Compiles a pattern for `re.match` semantics (anchored at the start only). Strings get `$`
 * appended as in Tornado; RegExp objects are used as given (flags kept, minus g and y).
 */
export function compileAnchored(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) {
    return new RegExp(`^(?:${pattern.source})`, pattern.flags.replace(/[gy]/g, ""));
  }
  if (typeof pattern !== "string") {
    throw new RouteError(`a route pattern must be a string or a RegExp, got ${typeof pattern}`);
  }
  try {
    return new RegExp(`^(?:${pythonToJsSource(withEndAnchor(pattern))})`);
  } catch (error) {
    throw new RouteError(`invalid route pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/** Number of capturing groups in a compiled regex. */
export function groupCount(regex: RegExp): number {
  return (new RegExp(`${regex.source}|`, regex.flags).exec("") as RegExpExecArray).length - 1;
}

const META = new Set(["^", "$", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|"]);

/** True when `|` appears outside every group and character class. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
    } else if (c === "|" && depth === 0) {
      return true;
    }
  }
  return false;
}

/**
 * The literal text every match starts with, and whether the pattern is that literal and
 * nothing more (`/about` or `/about$`). Conservative: anything unclear ends the prefix.
 */
export function literalPrefix(source: string): { prefix: string; complete: boolean } {
  if (hasTopLevelAlternation(source)) return { prefix: "", complete: false };
  let i = source.startsWith("^") ? 1 : 0;
  let prefix = "";
  while (i < source.length) {
    const c = source[i];
    let literal: string;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return { prefix, complete: false };
      literal = next;
      i += 2;
    } else if (META.has(c)) {
      return { prefix, complete: c === "$" && i === source.length - 1 };
    } else {
      literal = c;
      i += 1;
    }
    const quantifier = source[i];
    if (quantifier === "?" || quantifier === "*" || quantifier === "{") return { prefix, complete: false };
    prefix += literal;
    if (quantifier === "+") return { prefix, complete: false };
  }
  return { prefix, complete: true };
}

/** The exact first path segment implied by a literal prefix, or null. */
export function firstSegmentOf(prefix: string, complete: boolean): string | null {
  if (!prefix.startsWith("/")) return null;
  const slash = prefix.indexOf("/", 1);
  if (slash > 0) return prefix.slice(1, slash);
  return complete ? prefix.slice(1) : null;
}

/** The first segment of a request path: `/users/7` -> `users`, `/` -> ``. */
export function firstSegmentOfPath(path: string): string {
  const slash = path.indexOf("/", 1);
  return slash < 0 ? path.slice(1) : path.slice(1, slash);
}

/** Tornado: util.re_unescape; returns null where Tornado raises (an escaped letter or digit). */
function reUnescape(text: string): string | null {
  let failed = false;
  const result = text.replace(/\\([\s\S])/g, (_whole, char: string) => {
    if (/[A-Za-z0-9]/.test(char)) failed = true;
    return char;
  });
  return failed ? null : result;
}

/**
 * The reverse template of a pattern: the literal pieces around its groups
 * (`/a/(\d+)/b` -> `["/a/", "/b"]`, one more piece than groups), or null when the pattern is
 * too complex to reverse. Tornado: PathMatches._find_groups.
 */
export function reverseTemplate(source: string, groups: number): string[] | null {
  let pattern = source.startsWith("^") ? source.slice(1) : source;
  if (pattern.endsWith("$")) pattern = pattern.slice(0, -1);
  if (groups !== pattern.split("(").length - 1) return null;
  let template = "";
  for (const fragment of pattern.split("(")) {
    const paren = fragment.indexOf(")");
    const unescaped = reUnescape(paren >= 0 ? fragment.slice(paren + 1) : fragment);
    if (unescaped === null) return null;
    template += paren >= 0 ? "\u0000" + unescaped : unescaped;
  }
  const pieces = template.split("\u0000");
  return pieces.length === groups + 1 ? pieces : null;
}
