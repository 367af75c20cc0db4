/**
 * One chat message as both of Tornado's demos shape it (`{ id, body, html }`), and the checks
 * a message's body and a long-poll cursor pass before anything is stored.
 */

import { randomUUID } from "node:crypto";

export interface ChatMessage {
  /** A random UUID: the element id in the page and the long-poll cursor. */
  readonly id: string;
  /** The text as posted (never trusted: the templates escape it). */
  readonly body: string;
  /** `templates/message.html` rendered by the process that took the message. */
  readonly html: string;
}

/** Largest body accepted, in UTF-8 bytes: larger ones get 400 (long poll) or close 1009 (WebSocket). */
export const MAX_BODY_BYTES = 4096;

/** The reason `body` is refused, or null when it is acceptable. */
export function bodyRefusal(body: string): string | null {
  if (body.trim() === "") return "the message is empty";
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_BODY_BYTES) return `the message is ${bytes} bytes, over the limit of ${MAX_BODY_BYTES}`;
  return null;
}

// The ids this app hands out; Tornado's demo compares any string, this one refuses the rest
// before it walks the buffer with it.
const CURSOR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `cursor` has the shape of a message id. */
export function isCursor(cursor: string): boolean {
  return CURSOR.test(cursor);
}

/** A new message with a fresh id; `render` gives its HTML from the message without it. */
export function newMessage(body: string, render: (message: Omit<ChatMessage, "html">) => string): ChatMessage {
  const message = { id: randomUUID(), body };
  return { ...message, html: render(message) };
}

/** A message that came through the broker, checked field by field; null when it is not one. */
export function parseMessage(payload: string | Buffer): ChatMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  const { id, body, html } = value as Record<string, unknown>;
  if (typeof id !== "string" || !isCursor(id) || typeof body !== "string" || typeof html !== "string") return null;
  return { id, body, html };
}
