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

/**
 * A class's brand: a registry-wide symbol named after its code, the same in every copy of a
 * package (and the same that earlier releases put on their prototypes).
 */
function brandOf(code: string): symbol {
  return Symbol.for(`tornado.error.${code}`);
}

const bases = new Set<unknown>();

/**
 * `x instanceof C` for a coded error class C: true when x carries C's brand, that is when C
 * (from this copy of the package or another one) is in x's prototype chain. The bases check
 * the common brand; a class without a code of its own (a user's subclass) keeps the ordinary
 * prototype check.
 */
function hasInstance(this: CodedErrorClass & ErrorConstructorLike, instance: unknown): boolean {
  if (typeof instance !== "object" || instance === null) return false;
  if (this === TornadoError) return (instance as Record<symbol, unknown>)[TORNADO_ERROR_BRAND] === true;
  if (bases.has(this) || !Object.hasOwn(this, "code")) {
    return Function.prototype[Symbol.hasInstance].call(this, instance);
  }
  return (
    (instance as Record<symbol, unknown>)[brandOf(this.code!)] === true ||
    // An object made from this class's prototype before any instance was constructed.
    Function.prototype[Symbol.hasInstance].call(this, instance)
  );
}

/**
 * Brands the prototype of `errorClass` and of each coded class above it, once per class (at
 * its first construction), so that instanceof is one property lookup.
 */
function brandClassChain(errorClass: CodedErrorClass & ErrorConstructorLike): void {
  for (let current = errorClass; !bases.has(current); current = Object.getPrototypeOf(current) as typeof current) {
    const prototype = current.prototype as object;
    if (Object.hasOwn(current, "code")) {
      const brand = brandOf(current.code!);
      if (Object.hasOwn(prototype, brand)) return;
      Object.defineProperty(prototype, brand, { value: true });
    }
  }
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

/** Reads the code declared by the class being constructed, branding the class on first use. */
function codeOf(errorClass: CodedErrorClass & ErrorConstructorLike): string {
  const code = errorClass.code;
  if (typeof code !== "string") {
    throw new TypeError(`${errorClass.name} must declare a static code`);
  }
  brandClassChain(errorClass);
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
    this.code = codeOf(new.target as never) as Code;
  }
}

/** A TornadoError that is also a TypeError: a value of the wrong type. */
export abstract class TornadoTypeError<Code extends string = string> extends TypeError {
  static readonly code?: string;
  readonly code: Code;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = codeOf(new.target as never) as Code;
  }
}

/** A TornadoError that is also a RangeError: a value outside what is allowed. */
export abstract class TornadoRangeError<Code extends string = string> extends RangeError {
  static readonly code?: string;
  readonly code: Code;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = codeOf(new.target as never) as Code;
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
