/**
 * A cursor over template source that keeps the current line. Tornado: template._TemplateReader.
 */

import { ParseError } from "./errors";
import type { WhitespaceMode } from "./filter-whitespace";

export class TemplateReader {
  readonly name: string;
  readonly text: string;
  /** Whitespace mode for text read from here on (changed by `{% whitespace %}`). */
  whitespace: WhitespaceMode;
  /** 1-based line of the read position. */
  line = 1;
  /** Offset of the read position in `text`. */
  position = 0;

  constructor(name: string, text: string, whitespace: WhitespaceMode) {
    this.name = name;
    this.text = text;
    this.whitespace = whitespace;
  }

  /** Offset of `needle` relative to the read position at or after `start`, or -1. */
  find(needle: string, start = 0): number {
    const index = this.text.indexOf(needle, this.position + start);
    return index === -1 ? -1 : index - this.position;
  }

  /** Reads `count` characters (all that remain by default), advancing the line count. */
  consume(count?: number): string {
    const end = count === undefined ? this.text.length : Math.min(this.position + count, this.text.length);
    const value = this.text.slice(this.position, end);
    for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) === 10) this.line++;
    this.position = end;
    return value;
  }

  remaining(): number {
    return this.text.length - this.position;
  }

  /** The character `offset` after the read position. */
  at(offset: number): string {
    return this.text.charAt(this.position + offset);
  }

  parseError(reason: string, line = this.line): ParseError {
    return new ParseError(reason, this.name, line, { source: this.text });
  }
}
