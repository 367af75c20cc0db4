/**
 * Pieces of a response head: the status line (pre-rendered for the standard reasons) and the
 * check of an outgoing Content-Length.
 */

import { HTTPOutputError } from "./errors";
import { responses } from "./responses";

const STATUS_LINES = new Map<string, string>();

const COMMON_STATUS_LINES: string[] = [];
for (const [code, reason] of Object.entries(responses)) COMMON_STATUS_LINES[Number(code)] = `HTTP/1.1 ${code} ${reason}\r\n`;

/** `HTTP/1.1 <code> <reason>\r\n`; a reason containing CR or LF is refused. */
export function statusLine(code: number, reason: string): string {
  if (reason === responses[code]) return COMMON_STATUS_LINES[code]!;
  const key = `${code} ${reason}`;
  let line = STATUS_LINES.get(key);
  if (line === undefined) {
    if (/[\r\n]/.test(reason)) throw new HTTPOutputError(`Invalid reason phrase ${JSON.stringify(reason)}`);
    line = `HTTP/1.1 ${key}\r\n`;
    if (STATUS_LINES.size < 256) STATUS_LINES.set(key, line);
  }
  return line;
}

/** Digits only (Tornado: parse_int); anything else is HTTPOutputError. */
export function parseOutgoingContentLength(value: string): number {
  let result = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw new HTTPOutputError(`Only integer Content-Length is allowed: ${value}`);
    result = result * 10 + (c - 0x30);
  }
  if (value.length === 0) throw new HTTPOutputError("Only integer Content-Length is allowed: empty");
  return result;
}
