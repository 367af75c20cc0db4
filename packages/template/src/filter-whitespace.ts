/**
 * Whitespace compression of template text. Tornado: template.filter_whitespace.
 */

import { TemplateArgumentError } from "./errors";

/** `all` keeps text as written; `single` collapses runs; `oneline` also joins lines. */
export type WhitespaceMode = "all" | "single" | "oneline";

const MODES: ReadonlySet<string> = new Set(["all", "single", "oneline"]);

/** Whether `mode` is a whitespace mode name. */
export function isWhitespaceMode(mode: unknown): mode is WhitespaceMode {
  return typeof mode === "string" && MODES.has(mode);
}

/**
 * Compresses whitespace in `text`: `all` returns it unchanged; `single` turns runs of spaces
 * and tabs into one space and any whitespace around a newline into one newline; `oneline`
 * turns every whitespace run into one space. An unknown mode throws TemplateArgumentError.
 * Tornado: template.filter_whitespace.
 */
export function filterWhitespace(mode: WhitespaceMode, text: string): string {
  switch (mode) {
    case "all":
      return text;
    case "single":
      return text.replace(/[\t ]+/g, " ").replace(/\s*\n\s*/g, "\n");
    case "oneline":
      return text.replace(/\s+/g, " ");
    default:
      throw new TemplateArgumentError(`invalid whitespace mode ${JSON.stringify(mode)} (use "all", "single" or "oneline")`);
  }
}
