/**
 * A reader for GNU gettext `.mo` catalogs and their `Plural-Forms` expressions, for
 * loadGettextTranslations. Tornado: gettext.translation / GNUTranslations as used by
 * locale.load_gettext_translations and GettextLocale.
 */

import { LocaleError } from "../errors";

/** A compiled catalog: messages (context as `ctx\x04msgid`) and the plural rule. */
export class GettextCatalog {
  readonly #messages: Map<string, string[]>;
  readonly #plural: (n: number) => number;

  constructor(messages: Map<string, string[]>, plural: (n: number) => number) {
    this.#messages = messages;
    this.#plural = plural;
  }

  /** The translation of `message`, or `message` itself. Python: GNUTranslations.gettext. */
  gettext(message: string): string {
    const forms = this.#messages.get(message);
    return forms === undefined ? message : forms[0]!;
  }

  /** The plural form for `count`, or the untranslated singular/plural. Python: ngettext. */
  ngettext(message: string, pluralMessage: string, count: number): string {
    const forms = this.#messages.get(message);
    if (forms === undefined) return count === 1 ? message : pluralMessage;
    const index = this.#plural(count);
    return forms[index] ?? (count === 1 ? message : pluralMessage);
  }

  /** Reads a `.mo` file (either byte order). Throws LocaleError when it is not one. */
  static parse(data: Buffer, origin = "<buffer>"): GettextCatalog {
    if (data.length < 28) throw new LocaleError(`${origin} is not a gettext .mo file (too short)`);
    const magic = data.readUInt32LE(0);
    const little = magic === 0x950412de;
    if (!little && data.readUInt32BE(0) !== 0x950412de) {
      throw new LocaleError(`${origin} is not a gettext .mo file (bad magic number)`);
    }
    const u32 = (offset: number) => (little ? data.readUInt32LE(offset) : data.readUInt32BE(offset));
    const count = u32(8);
    const originals = u32(12);
    const translations = u32(16);
    const read = (table: number, index: number): string => {
      const length = u32(table + index * 8);
      const offset = u32(table + index * 8 + 4);
      if (offset + length > data.length) throw new LocaleError(`${origin}: string table points past the end of the file`);
      return data.toString("utf8", offset, offset + length);
    };
    const messages = new Map<string, string[]>();
    let plural: (n: number) => number = (n) => (n === 1 ? 0 : 1);
    for (let i = 0; i < count; i++) {
      const original = read(originals, i);
      const translated = read(translations, i);
      if (original === "") {
        const match = /^Plural-Forms:.*?plural=([^;\n]+)/im.exec(translated);
        if (match) plural = compilePluralExpression(match[1]!.trim());
      }
      // A plural entry's key is "msgid\0msgid_plural"; its forms are \0-separated.
      const key = original.split("\0")[0]!;
      messages.set(key, translated.split("\0"));
    }
    return new GettextCatalog(messages, plural);
  }
}

type Node = (n: number) => number;

/**
 * Compiles a C plural expression (`n != 1`, `(n > 1)`, `n%10==1 && n%100!=11 ? 0 : ...`)
 * into a function, without eval. Python: gettext.c2py.
 */
export function compilePluralExpression(source: string): (n: number) => number {
  const tokens = source.match(/\s*(\d+|n|&&|\|\||[=!<>]=|[-+*/%<>!?:()])\s*/gy);
  if (tokens === null || tokens.join("").length !== source.length) {
    throw new LocaleError(`unsupported plural expression ${JSON.stringify(source)}`);
  }
  const list = tokens.map((t) => t.trim());
  let pos = 0;
  const peek = () => list[pos];
  const expect = (token: string) => {
    if (list[pos] !== token) throw new LocaleError(`bad plural expression ${JSON.stringify(source)}: expected ${token}`);
    pos++;
  };
  const binary = (next: () => Node, ops: Record<string, (a: number, b: number) => number>): (() => Node) => () => {
    let left = next();
    while (peek() !== undefined && ops[peek()!] !== undefined) {
      const op = ops[list[pos++]!]!;
      const l = left;
      const r = next();
      left = (n) => op(l(n), r(n));
    }
    return left;
  };
  const primary = (): Node => {
    const token = list[pos++];
    if (token === "n") return (n) => n;
    if (token === "(") {
      const inner = ternary();
      expect(")");
      return inner;
    }
    if (token === "!") {
      const inner = primary();
      return (n) => (inner(n) ? 0 : 1);
    }
    if (token === "-") {
      const inner = primary();
      return (n) => -inner(n);
    }
    if (token !== undefined && /^\d+$/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    throw new LocaleError(`bad plural expression ${JSON.stringify(source)} at ${String(token)}`);
  };
  const cDiv = (a: number, b: number) => (b === 0 ? 0 : Math.trunc(a / b));
  const cMod = (a: number, b: number) => (b === 0 ? 0 : a % b);
  const multiplicative = binary(primary, { "*": (a, b) => a * b, "/": cDiv, "%": cMod });
  const additive = binary(multiplicative, { "+": (a, b) => a + b, "-": (a, b) => a - b });
  const relational = binary(additive, {
    "<": (a, b) => +(a < b),
    ">": (a, b) => +(a > b),
    "<=": (a, b) => +(a <= b),
    ">=": (a, b) => +(a >= b),
  });
  const equality = binary(relational, { "==": (a, b) => +(a === b), "!=": (a, b) => +(a !== b) });
  const and = binary(equality, { "&&": (a, b) => +(a !== 0 && b !== 0) });
  const or = binary(and, { "||": (a, b) => +(a !== 0 || b !== 0) });
  function ternary(): Node {
    const condition = or();
    if (peek() !== "?") return condition;
    pos++;
    const yes = ternary();
    expect(":");
    const no = ternary();
    return (n) => (condition(n) ? yes(n) : no(n));
  }
  const compiled = ternary();
  if (pos !== list.length) throw new LocaleError(`bad plural expression ${JSON.stringify(source)}: trailing tokens`);
  return (n) => compiled(Math.trunc(Math.abs(n)));
}
