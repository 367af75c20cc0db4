/**
 * LogFormatter: Tornado's log line, `[I 240101 12:00:00 web:2271] message`, coloured by level
 * on a terminal, with the stack of a logged error indented below it.
 *
 * Tornado: tornado.log.LogFormatter.
 */

import { inspect } from "node:util";
import { wantCallSites } from "./call-site";
import type { LogRecord } from "./logger";

/** What the colour decision looks at: a stream such as process.stderr. */
export interface ColorStream {
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

export interface LogFormatterOptions {
  /**
   * Python %-style format over the record's fields: name, levelname, levelno, message,
   * asctime, module, lineno, created, process, and color / end_color around the coloured part.
   */
  fmt?: string;
  /** strftime format of asctime: %y %Y %m %d %H %M %S %b %a %j %%. Default "%y%m%d %H:%M:%S". */
  datefmt?: string;
  /** Colour the level when `stream` is a terminal with colours. Default true. */
  color?: boolean;
  /** Terminal colour number (0-7) per level. Default DEBUG blue, INFO green, WARNING yellow, ERROR red, CRITICAL magenta. */
  colors?: Record<number, number>;
  /** The stream the lines go to, for the colour decision. Default process.stderr. */
  stream?: ColorStream;
}

const LEVEL_NAMES: Record<number, string> = { 10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL" };
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Python's time.strftime for the directives log formats use, in local time. */
export function strftime(format: string, date: Date): string {
  return format.replace(/%([yYmdHMSbaj%])/g, (_match, directive: string) => {
    switch (directive) {
      case "y": return pad(date.getFullYear() % 100);
      case "Y": return String(date.getFullYear());
      case "m": return pad(date.getMonth() + 1);
      case "d": return pad(date.getDate());
      case "H": return pad(date.getHours());
      case "M": return pad(date.getMinutes());
      case "S": return pad(date.getSeconds());
      case "b": return MONTHS[date.getMonth()] as string;
      case "a": return DAYS[date.getDay()] as string;
      case "j": return pad(Math.floor((date.getTime() - new Date(date.getFullYear(), 0, 1).getTime()) / 86400000) + 1, 3);
      default: return "%";
    }
  });
}

// %(key)[flags][width][.precision](s|d|f)
const FIELD = /%\((\w+)\)([-0 ]*)(\d*)(?:\.(\d+))?([sdf])/g;

export class LogFormatter {
  static readonly DEFAULT_FORMAT = "%(color)s[%(levelname)1.1s %(asctime)s %(module)s:%(lineno)d]%(end_color)s %(message)s";
  static readonly DEFAULT_DATE_FORMAT = "%y%m%d %H:%M:%S";
  static readonly DEFAULT_COLORS: Record<number, number> = { 10: 4, 20: 2, 30: 3, 40: 1, 50: 5 };

  readonly fmt: string;
  readonly datefmt: string;
  /** Escape sequence per level; empty without colour. */
  readonly colors: Record<number, string> = {};
  /** The sequence that ends a colour ("" without colour). */
  readonly normal: string = "";

  constructor(options: LogFormatterOptions = {}) {
    this.fmt = options.fmt ?? LogFormatter.DEFAULT_FORMAT;
    this.datefmt = options.datefmt ?? LogFormatter.DEFAULT_DATE_FORMAT;
    const stream = options.stream ?? process.stderr;
    if ((options.color ?? true) && stream.isTTY === true && (stream.hasColors?.() ?? false)) {
      for (const [level, code] of Object.entries(options.colors ?? LogFormatter.DEFAULT_COLORS)) {
        this.colors[Number(level)] = `\x1b[3${code}m`;
      }
      this.normal = "\x1b[0m";
    }
    this.#compile();
    if (!formattingForDefaultHandler && /%\((module|lineno)\)/.test(this.fmt)) wantCallSites();
  }

  /** The record as one line (more when an error's stack follows, indented by four spaces). */
  format(record: LogRecord): string {
    let formatted = "";
    for (const part of this.#parts) formatted += typeof part === "string" ? part : part(record, this);
    if (record.error !== undefined) {
      const error = record.error;
      const text = error instanceof Error ? (error.stack ?? String(error)) : typeof error === "string" ? error : inspect(error);
      formatted = formatted.trimEnd() + "\n" + text;
      return formatted.replace(/\n/g, "\n    ");
    }
    return formatted.includes("\n") ? formatted.replace(/\n/g, "\n    ") : formatted;
  }

  /** fmt, compiled once: literal text and one function per %(field). */
  readonly #parts: Array<string | ((record: LogRecord, formatter: LogFormatter) => string)> = [];
  #dateSecond = NaN;
  #dateText = "";

  /** asctime, formatted once per second (many lines share it). */
  asctime(created: number): string {
    const second = Math.floor(created);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#dateText = strftime(this.datefmt, new Date(second * 1000));
    }
    return this.#dateText;
  }

  #compile(): void {
    let last = 0;
    // `module:lineno` shows the logger's name alone for a record without a call site, rather
    // than `tornado.access:0`.
    const fmt = this.fmt.replaceAll("%(module)s:%(lineno)d", "%(site)s");
    for (const match of fmt.matchAll(FIELD)) {
      if (match.index > last) this.#parts.push(fmt.slice(last, match.index));
      last = match.index + match[0].length;
      const [, key, flags, width, precision, kind] = match as unknown as [string, string, string, string, string | undefined, string];
      const value = FIELD_VALUES[key] ?? (() => "");
      const size = Number(width || 0);
      const fill = flags.includes("0") ? "0" : " ";
      const left = flags.includes("-");
      this.#parts.push((record, formatter) => {
        let text = value(record, formatter);
        if (kind === "d") text = String(Math.trunc(Number(text)));
        if (precision !== undefined && kind === "s") text = text.slice(0, Number(precision));
        if (size === 0) return text;
        return left ? text.padEnd(size) : text.padStart(size, fill);
      });
    }
    if (last < fmt.length) this.#parts.push(fmt.slice(last));
  }
}

const FIELD_VALUES: Record<string, (record: LogRecord, formatter: LogFormatter) => string> = {
  name: (record) => record.name,
  levelname: (record) => LEVEL_NAMES[record.level] ?? `Level ${record.level}`,
  levelno: (record) => String(record.level),
  message: (record) => record.message,
  created: (record) => String(record.created),
  process: () => String(process.pid),
  asctime: (record, formatter) => formatter.asctime(record.created),
  module: (record) => record.module ?? record.name,
  lineno: (record) => String(record.lineno ?? 0),
  site: (record) => (record.lineno === undefined ? record.name : `${record.module ?? record.name}:${record.lineno}`),
  color: (record, formatter) => formatter.colors[record.level] ?? "",
  end_color: (record, formatter) => (formatter.colors[record.level] === undefined ? "" : formatter.normal),
};

let plain: LogFormatter | null = null;
/**
 * The default handler's formatter shows a call site when a record has one and the logger's
 * name when not; it must not turn capture on for every record itself (that costs more than
 * the rest of the line), so only a formatter the program installs does.
 */
let formattingForDefaultHandler = false;

/** A record in Tornado's format without colour: `[I 240101 12:00:00 web:2271] message`. */
export function formatLogRecord(record: LogRecord): string {
  if (plain === null) {
    formattingForDefaultHandler = true;
    try {
      plain = new LogFormatter({ color: false });
    } finally {
      formattingForDefaultHandler = false;
    }
  }
  return plain.format(record);
}
