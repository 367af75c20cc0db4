/**
 * The value types of an option, from its `type` or its default, as Tornado's define()
 * understands them (str, int, float, bool, datetime, timedelta, or any class), with the
 * string parsers of the command line and the TypeScript type each one gives.
 *
 * Tornado: tornado.options._Option.parse and its _parse_* helpers.
 */

import { OptionsError } from "../errors";

/** A type by name: "int" refuses fractions; "duration" is in seconds (Tornado's timedelta). */
export type OptionTypeName = "string" | "number" | "int" | "boolean" | "date" | "duration";

/** A class whose constructor takes the command-line string (Tornado: any callable type). */
export type OptionClass = abstract new (value: string) => unknown;

/** What `type` accepts: a name, String, Number, Boolean, Date, or a class of your own. */
export type OptionType = OptionTypeName | StringConstructor | NumberConstructor | BooleanConstructor | DateConstructor | OptionClass;

/** The TypeScript type of a value of `T`. */
export type ValueOfType<T> = T extends "string" | StringConstructor
  ? string
  : T extends "number" | "int" | "duration" | NumberConstructor
    ? number
    : T extends "boolean" | BooleanConstructor
      ? boolean
      : T extends "date" | DateConstructor
        ? Date
        : T extends abstract new (value: string) => infer R
          ? R
          : never;

/** A literal default widened to its type: `8888` gives `number`, `"x"` gives `string`. */
export type Widen<D> = D extends string
  ? string
  : D extends number
    ? number
    : D extends boolean
      ? boolean
      : D extends readonly (infer E)[]
        ? Widen<E>[]
        : D;

/** The runtime form of a type, once resolved. */
export interface ResolvedType {
  /** For messages and help: "string", "int", "Date", the class name. */
  readonly label: string;
  parse(text: string): unknown;
  /** True when `value` already has this type (Tornado's isinstance check in set()). */
  accepts(value: unknown): boolean;
  /** Integers allow "lo:hi" ranges in a multiple option, as Tornado's int. */
  readonly integer: boolean;
}

function parseNumber(text: string, integer: boolean): number {
  const trimmed = text.trim();
  const value = trimmed === "" ? NaN : Number(trimmed);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new OptionsError(`invalid ${integer ? "integer" : "number"}: ${JSON.stringify(text)}`);
  }
  return value;
}

const DURATION_UNITS: Record<string, number> = {
  us: 1e-6, microseconds: 1e-6,
  ms: 1e-3, milliseconds: 1e-3,
  s: 1, sec: 1, seconds: 1,
  m: 60, min: 60, minutes: 60,
  h: 3600, hours: 3600,
  d: 86400, days: 86400,
  w: 604800, weeks: 604800,
};
const DURATION_PART = /\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(\w*)\s*/y;

/** "45s", "2h", "1h 30m", "1.5 hours" -> seconds. Tornado: _Option._parse_timedelta. */
export function parseDuration(text: string): number {
  let total = 0;
  let start = 0;
  while (start < text.length) {
    DURATION_PART.lastIndex = start;
    const match = DURATION_PART.exec(text);
    const factor = match === null ? undefined : DURATION_UNITS[match[2] || "seconds"];
    if (match === null || factor === undefined) {
      throw new OptionsError(`invalid duration: ${JSON.stringify(text)} (write e.g. "45s", "2h", "1h 30m")`);
    }
    total += Number(match[1]) * factor;
    start = DURATION_PART.lastIndex;
  }
  return total;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
// Tornado's _DATETIME_FORMATS, in its order, as patterns over (year, month, day, H, M, S).
const DATE_FORMATS: Array<[RegExp, (m: RegExpExecArray) => number[]]> = [
  [/^(?:mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) +(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2}) (\d{4})$/i,
    (m) => [+m[6]!, MONTHS.indexOf(m[1]!.toLowerCase()) + 1, +m[2]!, +m[3]!, +m[4]!, +m[5]!]],
  [/^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/, (m) => [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)]],
  [/^(\d{4})(\d{2})(\d{2}) (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/, (m) => [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)]],
  [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (m) => [+m[1]!, +m[2]!, +m[3]!, 0, 0, 0]],
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => [+m[1]!, +m[2]!, +m[3]!, 0, 0, 0]],
  [/^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/, (m) => [1900, 1, 1, +m[1]!, +m[2]!, +(m[3] ?? 0)]],
];

/**
 * A local date and time in one of Tornado's formats ("2013-04-28 05:16", "20130428",
 * "05:16:00", "Sun Apr 28 05:16:00 2013", ...). Tornado: _Option._parse_datetime.
 */
export function parseDate(text: string): Date {
  for (const [pattern, fields] of DATE_FORMATS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const [year, month, day, hour, minute, second] = fields(match) as [number, number, number, number, number, number];
    const date = new Date(year, month - 1, day, hour, minute, second);
    // strptime refuses out-of-range fields; Date would roll them over.
    if (date.getMonth() === month - 1 && date.getDate() === day && hour < 24 && minute < 60 && second < 60) return date;
  }
  throw new OptionsError(`Unrecognized date/time format: ${JSON.stringify(text)}`);
}

const BUILT_IN: Record<OptionTypeName, ResolvedType> = {
  string: { label: "string", parse: (text) => text, accepts: (v) => typeof v === "string", integer: false },
  number: { label: "number", parse: (text) => parseNumber(text, false), accepts: (v) => typeof v === "number", integer: false },
  int: { label: "int", parse: (text) => parseNumber(text, true), accepts: (v) => Number.isInteger(v), integer: true },
  // Anything but false/0/f is true, as Tornado's _parse_bool.
  boolean: { label: "boolean", parse: (text) => !["false", "0", "f"].includes(text.toLowerCase()), accepts: (v) => typeof v === "boolean", integer: false },
  date: { label: "Date", parse: parseDate, accepts: (v) => v instanceof Date, integer: false },
  duration: { label: "duration (seconds)", parse: parseDuration, accepts: (v) => typeof v === "number", integer: false },
};

/** The runtime type of an option from its `type`, else its default (else string). */
export function resolveType(type: OptionType | undefined, defaultValue: unknown, multiple: boolean): ResolvedType {
  if (type === undefined) {
    const sample = multiple && Array.isArray(defaultValue) ? (defaultValue as unknown[])[0] : multiple ? undefined : defaultValue;
    if (typeof sample === "number") return BUILT_IN.number;
    if (typeof sample === "boolean") return BUILT_IN.boolean;
    if (sample instanceof Date) return BUILT_IN.date;
    return BUILT_IN.string;
  }
  if (typeof type === "string") {
    const found = BUILT_IN[type];
    if (found === undefined) {
      throw new OptionsError(`unknown option type ${JSON.stringify(type)}: use ${Object.keys(BUILT_IN).join(", ")} or a class`);
    }
    return found;
  }
  if (type === String) return BUILT_IN.string;
  if (type === Number) return BUILT_IN.number;
  if (type === Boolean) return BUILT_IN.boolean;
  if (type === Date) return BUILT_IN.date;
  if (typeof type !== "function") throw new OptionsError(`option type must be a name or a class, got ${String(type)}`);
  const custom = type as unknown as new (value: string) => unknown;
  return {
    label: custom.name || "custom type",
    parse(text) {
      try {
        return new custom(text);
      } catch (error) {
        throw new OptionsError(`invalid ${custom.name}: ${JSON.stringify(text)}`, { cause: error });
      }
    },
    accepts: (v) => v instanceof custom,
    integer: false,
  };
}
