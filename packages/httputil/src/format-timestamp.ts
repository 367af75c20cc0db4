/**
 * HTTP dates (RFC 9110 5.6.7 IMF-fixdate). Tornado: httputil.format_timestamp.
 */

import { ArgumentTypeError } from "@tornado/util";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Formats a time as `Sun, 27 Jan 2013 18:43:20 GMT`.
 * @param timestamp seconds since the epoch (fractions dropped), or a Date
 */
export function formatTimestamp(timestamp: number | Date): string {
  let date: Date;
  if (timestamp instanceof Date) {
    date = timestamp;
  } else if (typeof timestamp === "number" && Number.isFinite(timestamp)) {
    date = new Date(Math.floor(timestamp) * 1000);
  } else {
    throw new ArgumentTypeError(`timestamp must be a finite number of seconds or a Date, got ${String(timestamp)}`);
  }
  if (Number.isNaN(date.getTime())) throw new ArgumentTypeError("timestamp must be a valid Date, got Invalid Date");
  return (
    `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:` +
    `${two(date.getUTCSeconds())} GMT`
  );
}

let cachedSecond = -1;
let cachedDate = "";

/**
 * The current time as an HTTP date, rendered at most once per second (for a `Date` header on
 * every response without formatting a date per request).
 */
export function httpDate(): string {
  const now = Date.now();
  const second = (now - (now % 1000)) / 1000;
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = formatTimestamp(second);
  }
  return cachedDate;
}
