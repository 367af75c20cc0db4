/**
 * The locale lookup RequestHandler.getBrowserLocale needs, over the translations registry
 * (translations.ts): Tornado's locale.get(*codes) rules. The full Locale class (formatDate
 * and friends) is issue 6's; this keeps the handler working until it lands.
 */

import { catalogFor, getDefaultLocale, getSupportedLocales, translationsGeneration } from "./translations";

/** What a handler's `locale` offers: its code and translation. */
export interface HandlerLocale {
  /** `en_US` style code. */
  readonly code: string;
  translate(message: string, pluralMessage?: string, count?: number): string;
  pgettext(context: string, message: string, pluralMessage?: string, count?: number): string;
}

class CatalogLocale implements HandlerLocale {
  constructor(readonly code: string) {}

  translate(message: string, pluralMessage?: string, count?: number): string {
    return catalogFor(this.code).translate(message, pluralMessage, count);
  }

  pgettext(context: string, message: string, pluralMessage?: string, count?: number): string {
    return catalogFor(this.code).pgettext(context, message, pluralMessage, count);
  }
}

const cache = new Map<string, HandlerLocale>();
let cacheGeneration = -1;

function closest(code: string): HandlerLocale {
  if (cacheGeneration !== translationsGeneration()) {
    cache.clear();
    cacheGeneration = translationsGeneration();
  }
  let locale = cache.get(code);
  if (locale === undefined) {
    locale = new CatalogLocale(code);
    cache.set(code, locale);
  }
  return locale;
}

/**
 * The first supported locale among `codes` (`fr-FR`, `fr_FR`, or the language alone),
 * else the default locale. Tornado: locale.get.
 */
export function findLocale(...codes: string[]): HandlerLocale {
  const supported = getSupportedLocales();
  for (const code of codes) {
    if (!code) continue;
    const parts = code.replace(/-/g, "_").split("_");
    if (parts.length > 2) continue;
    const language = parts[0].toLowerCase();
    const candidate = parts.length === 2 ? `${language}_${parts[1].toUpperCase()}` : language;
    if (supported.has(candidate)) return closest(candidate);
    if (supported.has(language)) return closest(language);
  }
  return closest(getDefaultLocale());
}
