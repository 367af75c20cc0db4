/**
 * Whitespace collapsing. Tornado: escape.squeeze.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";

const RUNS = /[\x00-\x20]+/g;

/**
 * Replaces every run of characters U+0000 to U+0020 (spaces, tabs, newlines, controls) with a
 * single space, then trims both ends. Tornado: escape.squeeze.
 */
export function squeeze(value: string): string {
  if (typeof value !== "string") {
    throw new EscapeTypeError(`squeeze expects a string, got ${describeValue(value)}`);
  }
  return value.replace(RUNS, " ").trim();
}
