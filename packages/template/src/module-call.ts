/**
 * The expression of `{% module Name(args) %}`, read at parse time: the module's name, and the
 * call with Python's keyword arguments as Tornado writes them (`Template("x.html", entry=e)`)
 * turned into one trailing object (`Template("x.html", { entry: (e) })`), the way this port
 * passes Python's **kwargs everywhere. Without the rewrite, `entry=e` would be a JavaScript
 * assignment passed positionally. Tornado: template._Module (which evaluates
 * `_tt_modules.<expression>` as Python).
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;
// `name=value` at the start of an argument; not `==`, `===` or an arrow `=>`.
const KEYWORD = /^\s*([A-Za-z_$][\w$]*)\s*=(?![=>])/;

/** A parsed `{% module %}` expression. */
export interface ModuleCall {
  /** The module's name: the identifier the expression starts with. */
  name: string;
  /** What follows the name, keyword arguments rewritten (`(...)`, or "" for a bare name). */
  rest: string;
}

/**
 * Splits the module expression. Returns a reason string when it cannot be used: no leading
 * name, or a positional argument after a keyword one (Python's SyntaxError).
 */
export function parseModuleCall(expression: string): ModuleCall | string {
  const match = IDENTIFIER.exec(expression);
  if (match === null) return `module needs a module name, as in {% module Name(...) %}, got ${JSON.stringify(expression)}`;
  const name = match[0];
  const rest = expression.slice(name.length).trimStart();
  if (!rest.startsWith("(")) return { name, rest };
  const close = matchingParen(rest);
  if (close === -1) return { name, rest }; // unbalanced: the JavaScript check names the tag
  const args = splitTopLevel(rest.slice(1, close));
  let keywords: string[] | null = null;
  const positional: string[] = [];
  for (const argument of args) {
    const keyword = KEYWORD.exec(argument);
    if (keyword !== null) {
      (keywords ??= []).push(`${JSON.stringify(keyword[1]!)}: (${argument.slice(keyword[0].length).trim()})`);
    } else if (keywords !== null) {
      return `positional argument follows keyword argument in {% module ${expression} %}`;
    } else {
      positional.push(argument.trim());
    }
  }
  if (keywords === null) return { name, rest };
  positional.push(`{ ${keywords.join(", ")} }`);
  return { name, rest: `(${positional.join(", ")})${rest.slice(close + 1)}` };
}

/** Index of the `)` closing the `(` at 0, skipping strings and nested brackets; -1 if none. */
function matchingParen(text: string): number {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const c = text[index]!;
    if (c === '"' || c === "'" || c === "`") {
      index = skipString(text, index);
      if (index === -1) return -1;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
    } else if (c === ")" || c === "]" || c === "}") {
      if (--depth === 0) return c === ")" ? index : -1;
    }
  }
  return -1;
}

/** The arguments of a call's inside, split at commas outside strings and brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const c = text[index]!;
    if (c === '"' || c === "'" || c === "`") index = skipString(text, index);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
    if (index === -1) return [text];
  }
  const last = text.slice(start);
  if (last.trim() !== "") parts.push(last); // a trailing comma adds no argument
  return parts;
}

/** Index of the quote closing the string that opens at `start`, or -1. Template literals skip `${...}` by nesting. */
function skipString(text: string, start: number): number {
  const quote = text[start]!;
  for (let index = start + 1; index < text.length; index++) {
    const c = text[index]!;
    if (c === "\\") index++;
    else if (c === quote) return index;
    else if (quote === "`" && c === "$" && text[index + 1] === "{") {
      let depth = 1;
      index += 2;
      for (; index < text.length && depth > 0; index++) {
        const inner = text[index]!;
        if (inner === '"' || inner === "'" || inner === "`") {
          index = skipString(text, index);
          if (index === -1) return -1;
        } else if (inner === "{") depth++;
        else if (inner === "}") depth--;
      }
      index--;
    }
  }
  return -1;
}
