/**
 * The translation catalogs every Locale reads: loaded from Tornado's CSV files or from gettext
 * `.mo` files, plus the default locale and the set of supported codes.
 * Tornado: locale.load_translations, load_gettext_translations, set_default_locale,
 * get_supported_locales, and the translate/pgettext of CSVLocale and GettextLocale.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, basename } from "node:path";
import { TextDecoder } from "node:util";
import { genLog } from "@tornado/ioloop";
import { parseCsv } from "./csv-reader";
import { GettextCatalog } from "./gettext-catalog";
import { LocaleError } from "../errors";

/** Separator between a pgettext context and its message. Tornado: locale.CONTEXT_SEPARATOR. */
export const CONTEXT_SEPARATOR = "\x04";

/** What a locale translates with. */
export interface TranslationCatalog {
  translate(message: string, pluralMessage?: string, count?: number): string;
  pgettext(context: string, message: string, pluralMessage?: string, count?: number): string;
}

type PluralKind = "plural" | "singular" | "unknown";
type CsvTable = Partial<Record<PluralKind, Map<string, string>>>;

function requireCount(pluralMessage: string | undefined, count: number | undefined): void {
  if (pluralMessage !== undefined && (typeof count !== "number" || Number.isNaN(count))) {
    throw new LocaleError(`a plural message needs a numeric count, got ${String(count)}`);
  }
}

/** Tornado's CSV catalog: rows of message, translation and plural indicator. Tornado: CSVLocale. */
export class CsvCatalog implements TranslationCatalog {
  constructor(private readonly table: CsvTable = {}) {}

  get empty(): boolean {
    return Object.keys(this.table).length === 0;
  }

  translate(message: string, pluralMessage?: string, count?: number): string {
    requireCount(pluralMessage, count);
    let kind: PluralKind = "unknown";
    if (pluralMessage !== undefined) {
      if (count !== 1) {
        message = pluralMessage;
        kind = "plural";
      } else {
        kind = "singular";
      }
    }
    return this.table[kind]?.get(message) ?? message;
  }

  pgettext(_context: string, message: string, pluralMessage?: string, count?: number): string {
    if (!this.empty) genLog.warning("pgettext is not supported by CSVLocale");
    return this.translate(message, pluralMessage, count);
  }
}

/** A gettext catalog. Tornado: GettextLocale. */
export class GettextTranslations implements TranslationCatalog {
  constructor(private readonly catalog: GettextCatalog) {}

  translate(message: string, pluralMessage?: string, count?: number): string {
    requireCount(pluralMessage, count);
    if (pluralMessage !== undefined) return this.catalog.ngettext(message, pluralMessage, count!);
    return this.catalog.gettext(message);
  }

  pgettext(context: string, message: string, pluralMessage?: string, count?: number): string {
    requireCount(pluralMessage, count);
    if (pluralMessage !== undefined) {
      const result = this.catalog.ngettext(
        context + CONTEXT_SEPARATOR + message,
        context + CONTEXT_SEPARATOR + pluralMessage,
        count!,
      );
      return result.includes(CONTEXT_SEPARATOR) ? this.catalog.ngettext(message, pluralMessage, count!) : result;
    }
    const result = this.catalog.gettext(context + CONTEXT_SEPARATOR + message);
    return result.includes(CONTEXT_SEPARATOR) ? message : result;
  }
}

let defaultLocale = "en_US";
let catalogs = new Map<string, TranslationCatalog>();
let supported: ReadonlySet<string> = new Set([defaultLocale]);
let generation = 0;

function refreshSupported(): void {
  supported = new Set([...catalogs.keys(), defaultLocale]);
  generation++;
}

/**
 * Sets the locale the application's own strings are written in (default `en_US`); it needs
 * no translation file. Tornado: locale.set_default_locale.
 */
export function setDefaultLocale(code: string): void {
  if (typeof code !== "string" || code === "") throw new LocaleError(`locale code must be a non-empty string, got ${String(code)}`);
  defaultLocale = code;
  refreshSupported();
}

/** The default locale code. */
export function getDefaultLocale(): string {
  return defaultLocale;
}

/** The codes with translations, plus the default. Tornado: locale.get_supported_locales. */
export function getSupportedLocales(): ReadonlySet<string> {
  return supported;
}

/** The catalog of a code, or an empty CSV catalog (identity translation). */
export function catalogFor(code: string): TranslationCatalog {
  return catalogs.get(code) ?? new CsvCatalog();
}

/** Bumped on every load, so that a Locale cache can be dropped. */
export function translationsGeneration(): number {
  return generation;
}

function decodeCsvFile(data: Buffer, encoding: string | undefined): string {
  let label = encoding;
  if (label === undefined) {
    // Tornado detects UTF-16 by its BOM, else reads UTF-8 with an optional BOM (Excel writes one).
    if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) {
      label = data[0] === 0xff ? "utf-16le" : "utf-16be";
    } else {
      label = "utf-8";
    }
  } else if (label.toLowerCase().replace(/_/g, "-") === "utf-16") {
    label = data[0] === 0xfe && data[1] === 0xff ? "utf-16be" : "utf-16le";
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label.toLowerCase() === "utf-8-sig" ? "utf-8" : label);
  } catch {
    throw new LocaleError(`unknown encoding ${JSON.stringify(encoding)} for translation files`);
  }
  return decoder.decode(data); // TextDecoder drops a leading BOM
}

/**
 * Parses one CSV translation file's text into a catalog (rows: message, translation and an
 * optional "plural" / "singular" / "unknown" indicator). `origin` names it in log messages.
 */
export function parseCsvTranslations(text: string, origin = "<string>"): CsvCatalog {
  const table: CsvTable = {};
  parseCsv(text).forEach((raw, index) => {
    if (raw.length < 2) return;
    const row = raw.map((cell) => cell.trim());
    const [english, translation] = row as [string, string];
    const plural = (row.length > 2 && row[2]) || "unknown";
    if (plural !== "plural" && plural !== "singular" && plural !== "unknown") {
      genLog.error(`Unrecognized plural indicator '${plural}' in ${origin} line ${index + 1}`);
      return;
    }
    (table[plural] ??= new Map()).set(english, translation);
  });
  return new CsvCatalog(table);
}

const LOCALE_CODE_RE = /^[a-z]+(_[A-Z]+)?$/;

/**
 * Loads every `LOCALE.csv` in `directory` (e.g. `es_GT.csv`), replacing earlier translations.
 * Encoding: detected from a UTF-16 BOM, else UTF-8 (a UTF-8 BOM is allowed); or given as a
 * WHATWG label. Tornado: locale.load_translations(directory, encoding=None).
 */
export function loadTranslations(directory: string, encoding?: string): void {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    throw new LocaleError(`cannot read translation directory ${JSON.stringify(directory)}: ${(error as Error).message}`);
  }
  const loaded = new Map<string, TranslationCatalog>();
  for (const name of names.sort()) {
    if (!name.endsWith(".csv")) continue;
    const code = name.slice(0, -4);
    const path = join(directory, name);
    if (!LOCALE_CODE_RE.test(code)) {
      genLog.error(`Unrecognized locale '${code}' (path: ${path})`);
      continue;
    }
    loaded.set(code, parseCsvTranslations(decodeCsvFile(readFileSync(path), encoding), name));
  }
  catalogs = loaded;
  refreshSupported();
  genLog.debug(`Supported locales: ${[...supported].sort().join(", ")}`);
}

/**
 * Loads gettext catalogs from `{directory}/{lang}/LC_MESSAGES/{domain}.mo`, replacing earlier
 * translations. Tornado: locale.load_gettext_translations(directory, domain).
 */
export function loadGettextTranslations(directory: string, domain: string): void {
  let languages: string[];
  try {
    languages = readdirSync(directory);
  } catch (error) {
    throw new LocaleError(`cannot read translation directory ${JSON.stringify(directory)}: ${(error as Error).message}`);
  }
  const loaded = new Map<string, TranslationCatalog>();
  for (const lang of languages.sort()) {
    const path = join(directory, lang, "LC_MESSAGES", `${domain}.mo`);
    try {
      if (!statSync(path).isFile()) continue;
    } catch {
      continue;
    }
    try {
      loaded.set(basename(lang), new GettextTranslations(GettextCatalog.parse(readFileSync(path), path)));
    } catch (error) {
      genLog.error(`Cannot load translation for '${lang}': ${(error as Error).message}`);
    }
  }
  catalogs = loaded;
  refreshSupported();
  genLog.debug(`Supported locales: ${[...supported].sort().join(", ")}`);
}

/** Drops every catalog and restores the default `en_US` (for tests). */
export function resetTranslations(): void {
  catalogs = new Map();
  defaultLocale = "en_US";
  refreshSupported();
}
