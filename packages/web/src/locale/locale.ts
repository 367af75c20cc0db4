/**
 * Locales: translation through the loaded catalogs (translations.ts) plus Tornado's date,
 * list and number formatting. Tornado: tornado.locale (get, Locale, CSVLocale, GettextLocale).
 *
 * @example
 * loadTranslations("translations");            // es_LA.csv, fr_FR.csv...
 * const locale = Locale.get("fr-FR", "en");    // closest supported, else the default
 * locale.translate("%(name)s liked this", "%(name)s liked this", 2);
 * locale.formatDate(new Date(Date.now() - 120_000)); // "2 minutes ago" (translated)
 */

import { LocaleError } from "../errors";
import { LOCALE_NAMES } from "./locale-names";
import {
  formatDate,
  formatDay,
  formatList,
  friendlyNumber,
  type FormatDateOptions,
} from "./locale-format";
import {
  catalogFor,
  getDefaultLocale,
  getSupportedLocales,
  setDefaultLocale,
  translationsGeneration,
} from "./translations";

const cache = new Map<string, Locale>();
let cacheGeneration = -1;

function normalize(code: string): { candidate: string; language: string } | null {
  const parts = code.replace(/-/g, "_").split("_");
  if (parts.length > 2) return null;
  const language = parts[0]!.toLowerCase();
  return { candidate: parts.length === 2 ? `${language}_${parts[1]!.toUpperCase()}` : parts[0]!, language };
}

/**
 * A locale: its code, names, direction, translation and formatting. Get one with
 * `Locale.get(...codes)`; instances are cached per code until translations are reloaded.
 * Tornado: locale.Locale (CSVLocale and GettextLocale are the catalogs behind translate).
 */
export class Locale {
  /** `en_US` style code. */
  readonly code: string;
  /** The locale's name in its own language ("Français"), or "Unknown". */
  readonly name: string;
  /** The name in English ("French"), or "Unknown". Beyond Tornado's attributes. */
  readonly nameEn: string;
  /** Right-to-left script (codes starting fa, ar, he). */
  readonly rtl: boolean;

  protected constructor(code: string) {
    this.code = code;
    this.name = LOCALE_NAMES[code]?.name ?? "Unknown";
    this.nameEn = LOCALE_NAMES[code]?.nameEn ?? "Unknown";
    this.rtl = ["fa", "ar", "he"].some((prefix) => code.startsWith(prefix));
  }

  /**
   * The closest supported locale among `codes` (`fr-FR`, `fr_FR`, or the language alone
   * matching `fr`), else the default locale (`en_US` unless setDefaultLocale changed it).
   * Tornado: locale.get(*codes) / Locale.get_closest.
   */
  static get(...codes: string[]): Locale {
    const supported = getSupportedLocales();
    for (const code of codes) {
      if (!code) continue;
      const normalized = normalize(code);
      if (normalized === null) continue;
      if (supported.has(normalized.candidate)) return Locale.forCode(normalized.candidate);
      if (supported.has(normalized.language)) return Locale.forCode(normalized.language);
    }
    return Locale.forCode(getDefaultLocale());
  }

  /** Tornado's name for {@link Locale.get}. */
  static getClosest(...codes: string[]): Locale {
    return Locale.get(...codes);
  }

  /**
   * The locale for exactly `code`, which must be supported (LocaleError otherwise).
   * Tornado: Locale.get(code).
   */
  static forCode(code: string): Locale {
    if (cacheGeneration !== translationsGeneration()) {
      cache.clear();
      cacheGeneration = translationsGeneration();
    }
    let locale = cache.get(code);
    if (locale === undefined) {
      if (!getSupportedLocales().has(code)) {
        throw new LocaleError(`locale ${JSON.stringify(code)} is not supported; load its translations first`);
      }
      locale = new Locale(code);
      cache.set(code, locale);
    }
    return locale;
  }

  /** Sets the default locale (default `en_US`). Tornado: locale.set_default_locale. */
  static setDefaultLocale(code: string): void {
    setDefaultLocale(code);
  }

  /** The supported codes. Tornado: locale.get_supported_locales. */
  static getSupportedLocales(): string[] {
    return [...getSupportedLocales()];
  }

  /**
   * The translation of `message`; with `pluralMessage`, `count` (required) picks the
   * singular (1) or plural form. Untranslated text comes back as is. Placeholders stay for
   * the caller (`%(name)s`; see formatNamed). Tornado: Locale.translate.
   */
  translate(message: string, pluralMessage?: string, count?: number): string {
    return catalogFor(this.code).translate(message, pluralMessage, count);
  }

  /**
   * translate() within a context (`pgettext("law", "right")`); gettext catalogs only, CSV
   * catalogs log a warning and translate without it. Tornado: Locale.pgettext.
   */
  pgettext(context: string, message: string, pluralMessage?: string, count?: number): string {
    return catalogFor(this.code).pgettext(context, message, pluralMessage, count);
  }

  /** "2 minutes ago", "yesterday at 6:35 pm", "April 28, 2013". Tornado: format_date. */
  formatDate(date: Date | number, options: FormatDateOptions = {}): string {
    return formatDate(this, date, options);
  }

  /** "Sunday, April 28" or "April 28". Tornado: format_day. */
  formatDay(date: Date | number, options: { gmtOffset?: number; dow?: boolean } = {}): string {
    return formatDay(this, date, options);
  }

  /** "A, B and C". Tornado: Locale.list. */
  list(parts: readonly string[]): string {
    return formatList(this, parts);
  }

  /** "1,000,000" in English. Tornado: friendly_number. */
  friendlyNumber(value: number): string {
    return friendlyNumber(this, value);
  }
}
