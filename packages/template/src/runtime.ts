/**
 * Helpers the generated code calls while rendering: value to string, autoescape, Python-style
 * iteration. Kept small so that V8 inlines them into the compiled template.
 */

import { xhtmlEscape } from "@tornado/escape";
import { ArgumentTypeError } from "@tornado/util";
import { UnknownModuleError } from "./errors";

/**
 * Output rule (ARCHITECTURE decision 2): null and undefined print as "", Buffers and other
 * Uint8Arrays as UTF-8, everything else with String().
 */
export function toOutput(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object shows as String() gives it, as Tornado's str() would
  return String(value);
}

const NEEDS_ESCAPE = /[&<>"']/;

/**
 * toOutput, then xhtmlEscape; numbers skip the escape (they hold no markup characters), and
 * strings without special characters are returned after one regex test.
 */
export function toEscapedOutput(value: unknown): string {
  if (typeof value === "string") return NEEDS_ESCAPE.test(value) ? xhtmlEscape(value) : value;
  if (typeof value === "number") return "" + value;
  if (value === null || value === undefined) return "";
  return xhtmlEscape(toOutput(value));
}

/**
 * What `{% for x in value %}` walks: any iterable as for...of does (array values, string
 * characters, Map entries, Set values, generators); a plain object's own enumerable keys, as
 * a Python dict gives its keys. Anything else throws a TypeError, as Python does.
 */
export function iterate(value: unknown): Iterable<unknown> {
  if (value !== null && value !== undefined && typeof (value as Iterable<unknown>)[Symbol.iterator] === "function") {
    return value as Iterable<unknown>;
  }
  if (value !== null && typeof value === "object") return Object.keys(value);
  throw new ArgumentTypeError(`${value === null ? "null" : typeof value} is not iterable (in {% for %})`);
}

/** `except E` / `except (A, B)` matching: instanceof each class. */
export function matches(error: unknown, classes: readonly unknown[]): boolean {
  for (const errorClass of classes) {
    if (typeof errorClass === "function" && error instanceof (errorClass as new () => unknown)) return true;
  }
  return false;
}

/**
 * `{% module Name %}`: the namespace's modules when they have `name`, so that the template
 * calls `modules.Name(...)` on them; else UnknownModuleError naming it (Tornado: AttributeError).
 */
export function moduleNamespace(modules: unknown, name: string): Record<string, unknown> {
  if (modules === null || (typeof modules !== "object" && typeof modules !== "function")) {
    throw new UnknownModuleError(name, null);
  }
  if ((modules as Record<string, unknown>)[name] === undefined) throw new UnknownModuleError(name, Object.keys(modules));
  return modules as Record<string, unknown>;
}

/** The helpers object handed to every compiled template. */
export const RUNTIME = Object.freeze({ s: toOutput, e: toEscapedOutput, iter: iterate, matches, module: moduleNamespace });
