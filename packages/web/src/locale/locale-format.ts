/**
 * Dates, lists and numbers as Tornado's Locale formats them ("2 minutes ago", "yesterday at
 * 6:35 pm", "A, B and C", "1,000,000"), through the locale's own translate().
 * Tornado: Locale.format_date, format_day, list, friendly_number.
 */

import { ArgumentTypeError } from "@tornado/util";

/** What the formatters need from a locale. */
export interface TranslatingLocale {
  readonly code: string;
  translate(message: string, pluralMessage?: string, count?: number): string;
}

/** Options of {@link formatDate}. Tornado: format_date's keywords. */
export interface FormatDateOptions {
  /** Minutes to subtract from UTC for local time (Tornado's gmt_offset); default 0. */
  gmtOffset?: number;
  /** "2 minutes ago" style for recent dates; default true. */
  relative?: boolean;
  /** Drop the time of day ("yesterday", "Monday", "April 28"); default false. */
  shorter?: boolean;
  /** Always "April 28, 2013 at 6:35 pm"; default false. */
  fullFormat?: boolean;
  /** The current time, for tests; default new Date(). (Not in Tornado.) */
  now?: Date;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Python's `%` with a mapping: `%(name)s`, `%(name)d` and `%%`. */
export function formatNamed(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/%(?:\(([^)]*)\))?([sd%])/g, (whole, key: string | undefined, kind: string) => {
    if (kind === "%" && key === undefined) return "%";
    if (key === undefined || !(key in values)) return whole;
    const value = values[key]!;
    return kind === "d" ? String(Math.trunc(Number(value))) : String(value);
  });
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const DAY_MS = 86400 * 1000;

function toDate(date: Date | number): Date {
  const result = typeof date === "number" ? new Date(date * 1000) : date;
  if (!(result instanceof Date) || Number.isNaN(result.getTime())) {
    throw new ArgumentTypeError(`date must be a Date or seconds since the epoch, got ${String(date)}`);
  }
  return result;
}

function names(locale: TranslatingLocale, date: Date) {
  return {
    month_name: locale.translate(MONTHS[date.getUTCMonth()]!),
    weekday: locale.translate(WEEKDAYS[(date.getUTCDay() + 6) % 7]!),
    day: String(date.getUTCDate()),
    year: String(date.getUTCFullYear()),
  };
}

/**
 * Formats a UTC date: relative for the last day ("5 seconds ago", "2 hours ago"), then
 * "yesterday", the weekday (under 5 days), month and day (under 334 days), else with the year.
 * Future dates use the full format (less than a minute ahead counts as now). 12-hour clock for
 * `en`, `en_US` and `zh_CN`, else 24-hour. `date` is a Date or seconds since the epoch.
 * Tornado: Locale.format_date(date, gmt_offset=0, relative=True, shorter=False, full_format=False).
 */
export function formatDate(locale: TranslatingLocale, date: Date | number, options: FormatDateOptions = {}): string {
  const { gmtOffset = 0, relative = true, shorter = false } = options;
  let fullFormat = options.fullFormat ?? false;
  const now = options.now ?? new Date();
  let when = toDate(date);
  if (when.getTime() > now.getTime()) {
    // Python compares timedelta.seconds, which ignores whole days.
    const aheadSeconds = Math.floor(((when.getTime() - now.getTime()) % DAY_MS) / 1000);
    if (relative && aheadSeconds < 60) when = now;
    else fullFormat = true;
  }
  const offsetMs = gmtOffset * 60 * 1000;
  const localDate = new Date(when.getTime() - offsetMs);
  const localYesterday = new Date(now.getTime() - offsetMs - DAY_MS);
  const differenceMs = now.getTime() - when.getTime();
  const days = Math.floor(differenceMs / DAY_MS);
  const seconds = Math.floor((differenceMs - days * DAY_MS) / 1000);
  const _ = locale.translate.bind(locale);

  let format: string | undefined;
  if (!fullFormat) {
    if (relative && days === 0) {
      if (seconds < 50) return formatNamed(_("1 second ago", "%(seconds)d seconds ago", seconds), { seconds });
      if (seconds < 50 * 60) {
        const minutes = roundHalfEven(seconds / 60);
        return formatNamed(_("1 minute ago", "%(minutes)d minutes ago", minutes), { minutes });
      }
      const hours = roundHalfEven(seconds / 3600);
      return formatNamed(_("1 hour ago", "%(hours)d hours ago", hours), { hours });
    }
    if (days === 0) format = _("%(time)s");
    else if (days === 1 && localDate.getUTCDate() === localYesterday.getUTCDate() && relative) {
      format = shorter ? _("yesterday") : _("yesterday at %(time)s");
    } else if (days < 5) format = shorter ? _("%(weekday)s") : _("%(weekday)s at %(time)s");
    else if (days < 334) {
      // 11 months, since "April 28" for last year's April would confuse.
      format = shorter ? _("%(month_name)s %(day)s") : _("%(month_name)s %(day)s at %(time)s");
    }
  }
  if (format === undefined) {
    format = shorter ? _("%(month_name)s %(day)s, %(year)s") : _("%(month_name)s %(day)s, %(year)s at %(time)s");
  }
  const hour = localDate.getUTCHours();
  const minute = String(localDate.getUTCMinutes()).padStart(2, "0");
  let time: string;
  if (locale.code === "zh_CN") time = `${hour >= 12 ? "\u4e0b\u5348" : "\u4e0a\u5348"}${hour % 12 || 12}:${minute}`;
  else if (locale.code === "en" || locale.code === "en_US") time = `${hour % 12 || 12}:${minute} ${hour >= 12 ? "pm" : "am"}`;
  else time = `${hour}:${minute}`;
  return formatNamed(format, { ...names(locale, localDate), time });
}

/**
 * Formats a date as a day: "Sunday, April 28", or "April 28" without the weekday.
 * Tornado: Locale.format_day(date, gmt_offset=0, dow=True).
 */
export function formatDay(
  locale: TranslatingLocale,
  date: Date | number,
  options: { gmtOffset?: number; dow?: boolean } = {},
): string {
  const { gmtOffset = 0, dow = true } = options;
  const local = new Date(toDate(date).getTime() - gmtOffset * 60 * 1000);
  const template = dow ? locale.translate("%(weekday)s, %(month_name)s %(day)s") : locale.translate("%(month_name)s %(day)s");
  return formatNamed(template, names(locale, local));
}

/**
 * "A, B and C", "A and B", "A" or "" (Persian joins with " و ").
 * Tornado: Locale.list(parts).
 */
export function formatList(locale: TranslatingLocale, parts: readonly string[]): string {
  if (parts.length === 0) return "";
  if (parts.length === 1) return parts[0]!;
  const comma = locale.code.startsWith("fa") ? " \u0648 " : ", ";
  return formatNamed(locale.translate("%(commas)s and %(last)s"), {
    commas: parts.slice(0, -1).join(comma),
    last: parts[parts.length - 1]!,
  });
}

/**
 * Groups thousands with commas for `en` and `en_US` ("1,000,000"); other locales get the
 * plain number. Tornado: Locale.friendly_number(value).
 */
export function friendlyNumber(locale: TranslatingLocale, value: number): string {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ArgumentTypeError(`value must be a finite number, got ${String(value)}`);
  }
  if (locale.code !== "en" && locale.code !== "en_US") return String(value);
  const sign = value < 0 ? "-" : "";
  const [integer, fraction] = String(Math.abs(value)).split(".") as [string, string | undefined];
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (fraction === undefined ? "" : `.${fraction}`);
}
