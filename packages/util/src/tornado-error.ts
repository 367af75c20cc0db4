/**
 * TornadoError: the one base of every coded error in every @tornado package.
 *
 * An error class declares its stable code once, as a static field, and inherits the rest:
 * `code` and `name` on each instance, and an `instanceof` that holds across copies of a
 * package (two installed versions of @tornado/web still recognise each other's HTTPError),
 * the way undici brands its errors with a registry-wide symbol.
 *
 * @example
 * export class StreamClosedError extends TornadoError<"TORNADO_ERR_IOSTREAM_CLOSED"> {
 *   static override readonly code = "TORNADO_ERR_IOSTREAM_CLOSED";
 * }
 */

/** Marks the prototypes of the three bases, so `instanceof TornadoError` works across copies. */
const TORNADO_ERROR_BRAND = Symbol.for("tornado.error");

type ErrorConstructorLike = abstract new (message?: string, options?: ErrorOptions) => Error;

/** The static side every coded error class has: its code. */
interface CodedErrorClass {
  readonly code?: string;
}

const bases = new Set<unknown>();

/**
 * `x instanceof C` for a coded error class C: true when some class in x's prototype chain
 * declares C's code (the same class, from this copy of the package or another one). A class
 * without a code of its own (a user's subclass) keeps the ordinary prototype check.
 */
function hasInstance(this: CodedErrorClass & ErrorConstructorLike, instance: unknown): boolean {
  if (typeof instance !== "object" || instance === null) return false;
  if (bases.has(this)) {
    if (this === TornadoError) return (instance as Record<symbol, unknown>)[TORNADO_ERROR_BRAND] === true;
    return Function.prototype[Symbol.hasInstance].call(this, instance);
  }
  if (!Object.hasOwn(this, "code")) return Function.prototype[Symbol.hasInstance].call(this, instance);
  const code = this.code;
  for (let proto = Object.getPrototypeOf(instance); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const constructor = Object.hasOwn(proto, "constructor") ? (proto.constructor as CodedErrorClass) : undefined;
    if (constructor !== undefined && Object.hasOwn(constructor, "code") && constructor.code === code) return true;
  }
  return false;
}

/** Gives a base its brand, its `name` (the class name of each instance) and its instanceof. */
function brandBase(base: ErrorConstructorLike): void {
  bases.add(base);
  Object.defineProperty(base.prototype, TORNADO_ERROR_BRAND, { value: true });
  // On the prototype, not the instance, so that the stack's first line already carries it
  // (the Error constructor reads `name` before a subclass's fields are set).
  Object.defineProperty(base.prototype, "name", {
    configurable: true,
    get(this: Error): string {
      return this.constructor.name;
    },
  });
  Object.defineProperty(base, Symbol.hasInstance, { value: hasInstance });
}

/** Reads the code declared by the class being constructed. */
function codeOf(errorClass: unknown): string {
  const code = (errorClass as CodedErrorClass).code;
  if (typeof code !== "string") {
    throw new TypeError(`${(errorClass as { name: string }).name} must declare a static code`);
  }
  return code;
}

/**
 * The base of every @tornado error: carries a stable `code` (`TORNADO_ERR_<AREA>_<WHAT>`)
 * declared by the class as `static override readonly code`, a `name` equal to the class
 * name, and an `instanceof` that works across copies of a package. Errors that Tornado raises
 * as TypeError or RangeError derive from TornadoTypeError or TornadoRangeError instead, which
 * are TornadoErrors too.
 *
 * Tornado: the exceptions of every module; Python has no common base.
 */
export abstract class TornadoError<Code extends string | number = string> extends Error {
  /** The stable code of the class (`TORNADO_ERR_...`); each concrete class declares its own. */
  static readonly code?: string;
  /**
   * The class's stable code: match on this rather than on the message. One class keeps
   * Tornado's meaning instead: HTTPClientError's `code` is the HTTP status, as in Tornado,
   * and its stable code is `errorCode`.
   */
  readonly code: Code;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = codeOf(new.target) as Code;
  }
}

/** A TornadoError that is also a TypeError: a value of the wrong type. */
export abstract class TornadoTypeError<Code extends string = string> extends TypeError {
  static readonly code?: string;
  readonly code: Code;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = codeOf(new.target) as Code;
  }
}

/** A TornadoError that is also a RangeError: a value outside what is allowed. */
export abstract class TornadoRangeError<Code extends string = string> extends RangeError {
  static readonly code?: string;
  readonly code: Code;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = codeOf(new.target) as Code;
  }
}

brandBase(TornadoError);
brandBase(TornadoTypeError);
brandBase(TornadoRangeError);

/** True for any @tornado error, from any copy of any package. */
export function isTornadoError(
  value: unknown,
): value is TornadoError<string | number> | TornadoTypeError | TornadoRangeError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TORNADO_ERROR_BRAND] === true;
}
