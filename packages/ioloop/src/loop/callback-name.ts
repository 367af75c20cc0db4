/** A readable name for a callback in log messages: its function name or `<anonymous function>`. */
export function callbackName(callback: (...args: never[]) => unknown): string {
  return callback.name ? `${callback.name}()` : "<anonymous function>";
}
