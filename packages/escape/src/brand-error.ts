/**
 * A helper every @tornado package uses for its error classes (it lives here, in the bottom
 * layer, so that no package needs another just for this).
 */

/**
 * Makes `instanceof` work across copies of a package: the class is recognised by a
 * registry-wide symbol rather than by object identity.
 */
export function brandError(errorClass: abstract new (...args: never[]) => Error, code: string): void {
  const brand = Symbol.for(`tornado.error.${code}`);
  Object.defineProperty(errorClass.prototype, brand, { value: true });
  Object.defineProperty(errorClass, Symbol.hasInstance, {
    value(this: unknown, instance: unknown): boolean {
      // A subclass that was not branded itself inherits this method: use the ordinary check.
      if (this !== errorClass) return Function.prototype[Symbol.hasInstance].call(this, instance);
      return (
        typeof instance === "object" &&
        instance !== null &&
        (instance as Record<symbol, unknown>)[brand] === true
      );
    },
  });
}
