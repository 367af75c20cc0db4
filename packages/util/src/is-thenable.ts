/**
 * True for a Promise or any object with a `then` method (what `await` would wait on). Handler
 * methods, prepare() and getCurrentUser() may answer either way; this tells which one they did.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
