/**
 * Accumulates generated JavaScript lines, each remembering the template location it came
 * from ("name:line (via parent:line, ...)"), so that an error thrown while rendering can be
 * traced back to the template. Consecutive outputs are merged into one `_tt_buf += a + b`
 * statement, one operand per line. Tornado: template._CodeWriter.
 */

import type { ParsedFile } from "./nodes";

/** A piece of user JavaScript, kept so that a syntax error can be pinned to its tag. */
export interface Fragment {
  /** A small program that is valid JavaScript exactly when the fragment is. */
  check: string;
  /** The tag as written, for messages. */
  tag: string;
  file: string;
  line: number;
  /** The text of the file the tag is in. */
  source: string;
}

type Pending = { literal: true; text: string } | { literal: false; code: string; location: string };

export class CodeWriter {
  readonly lines: string[] = [];
  readonly locations: Array<string | null> = [];
  readonly fragments: Fragment[] = [];
  /** (includer, line of the include/block tag), innermost last. */
  readonly includeStack: Array<{ file: ParsedFile; line: number }> = [];
  /** Labels of enclosing loops (null: a loop without else, plain break suffices). */
  readonly loops: Array<string | null> = [];
  /** Whether user code may `await` (generateAsync). */
  readonly isAsync: boolean;
  currentFile: ParsedFile;
  usesModules = false;
  #pending: Pending[] = [];
  #indent = 1;
  #counter = 0;

  constructor(file: ParsedFile, isAsync: boolean) {
    this.currentFile = file;
    this.isAsync = isAsync;
  }

  /** A fresh identifier for temporaries and labels. */
  temp(prefix: string): string {
    return `_tt_${prefix}${++this.#counter}`;
  }

  location(line: number): string {
    let text = `${this.currentFile.name}:${line}`;
    if (this.includeStack.length > 0) {
      const via = [];
      for (let index = this.includeStack.length - 1; index >= 0; index--) {
        const entry = this.includeStack[index]!;
        via.push(`${entry.file.name}:${entry.line}`);
      }
      text += ` (via ${via.join(", ")})`;
    }
    return text;
  }

  /** Appends literal text to the output. */
  text(value: string): void {
    const last = this.#pending[this.#pending.length - 1];
    if (last !== undefined && last.literal) last.text += value;
    else this.#pending.push({ literal: true, text: value });
  }

  /** Appends the string value of a JavaScript expression (already converted) to the output. */
  output(code: string, line: number): void {
    this.#pending.push({ literal: false, code, location: this.location(line) });
  }

  fragment(check: string, tag: string, line: number): void {
    this.fragments.push({ check, tag, file: this.currentFile.name, line, source: this.currentFile.source });
  }

  /** Writes pending outputs as one concatenation statement. */
  flush(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    pending.forEach((part, index) => {
      const head = index === 0 ? "_tt_buf += " : "  ";
      const tail = index === pending.length - 1 ? ";" : " +";
      if (part.literal) this.#write(head + JSON.stringify(part.text) + tail, null);
      else this.#write(head + part.code + tail, part.location);
    });
  }

  /** Writes a statement (flushing outputs first). */
  statement(code: string, line: number | null): void {
    this.flush();
    this.#write(code, line === null ? null : this.location(line));
  }

  /** Writes a statement that opens a `{`, indenting what follows. */
  open(code: string, line: number | null): void {
    this.statement(code, line);
    this.#indent++;
  }

  /** Closes with `code` (default "}"), e.g. "} else {" when `reopen`. */
  close(code = "}", reopen = false, line: number | null = null): void {
    this.flush();
    this.#indent--;
    this.#write(code, line === null ? null : this.location(line));
    if (reopen) this.#indent++;
  }

  #write(code: string, location: string | null): void {
    const indent = "  ".repeat(this.#indent);
    const physical = code.split("\n");
    physical.forEach((text, index) => {
      // The location as a comment, for template.code readers; only after the last physical
      // line, where it cannot fall inside a multi-line literal of the user's code.
      const comment = location !== null && index === physical.length - 1 ? `  // ${location}` : "";
      this.lines.push(indent + text + comment);
      this.locations.push(location);
    });
  }
}
