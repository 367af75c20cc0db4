/**
 * Errors across a worker thread, intact: the worker sends a plain description of what it
 * threw (class name, message, stack, code, its other fields, its cause), and the main thread
 * rebuilds an error of the same class. Structured cloning alone would keep the message and
 * the stack but lose the class of anything but a built-in error, and the `code`.
 */

import { TornadoError } from "@tornado/util";

/** What the worker sends for a thrown value. */
export interface SerializedError {
  /** The constructor's name ("TypeError", "StreamClosedError", "MyError"). */
  readonly className: string;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable fields (code, errno, syscall, path, ...), those that can be cloned. */
  readonly fields: Record<string, unknown>;
  /** True when the value was a @tornado error (so its class is rebuilt from its code). */
  readonly tornado: boolean;
  readonly cause?: SerializedError | { readonly value: unknown };
  /** The value thrown was not an Error: it is carried as it is. */
  readonly thrown?: { readonly value: unknown };
}

/**
 * The worker side, as source text (it runs inside the worker's bootstrap): describes a thrown
 * value so that `rebuildError` can make it again.
 */
export const SERIALIZE_ERROR_SOURCE = `
function serializeError(error, depth = 0) {
  if (!(error instanceof Error) || depth > 8) return { thrown: { value: cloneable(error) ? error : String(error) } };
  const fields = {};
  for (const key of Object.keys(error)) {
    if (key !== "cause" && cloneable(error[key])) fields[key] = error[key];
  }
  const result = {
    className: error.constructor && error.constructor.name ? error.constructor.name : "Error",
    name: error.name,
    message: error.message,
    stack: error.stack,
    fields,
    tornado: error[Symbol.for("tornado.error")] === true,
  };
  if (error.cause !== undefined) {
    const cause = serializeError(error.cause, depth + 1);
    result.cause = cause.thrown ? cause.thrown : cause;
  }
  return result;
}
function cloneable(value) {
  try { structuredClone(value); return typeof value !== "function"; } catch { return false; }
}
`;

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** A TornadoError subclass with the code of the one thrown: `instanceof` the real class holds. */
function tornadoClass(className: string, code: string): new (message?: string) => Error {
  const made = {
    [className]: class extends TornadoError {
      static override readonly code = code;
    },
  }[className] as new (message?: string) => Error;
  return made;
}

/** Makes the error the worker threw, on this thread. */
export function rebuildError(serialized: SerializedError): unknown {
  if (serialized.thrown !== undefined) return serialized.thrown.value;
  const code = serialized.fields.code;
  const builtIn = BUILT_IN[serialized.className];
  let error: Error;
  if (serialized.tornado && typeof code === "string") {
    error = new (tornadoClass(serialized.className, code))(serialized.message);
  } else {
    error = new (builtIn ?? Error)(serialized.message);
  }
  // A class this thread does not have keeps its name (the stack's first line says it too).
  if (builtIn === undefined && !serialized.tornado) {
    Object.defineProperty(error, "name", { value: serialized.name, writable: true, configurable: true });
  }
  for (const [key, value] of Object.entries(serialized.fields)) {
    Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
  }
  if (serialized.stack !== undefined) {
    Object.defineProperty(error, "stack", { value: serialized.stack, writable: true, configurable: true });
  }
  const cause = serialized.cause;
  if (cause !== undefined) {
    Object.defineProperty(error, "cause", {
      value: "className" in cause ? rebuildError(cause) : cause.value,
      writable: true,
      configurable: true,
    });
  }
  return error;
}
