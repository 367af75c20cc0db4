/**
 * @tornado/util: the ground floor of every @tornado package. TornadoError, the base of every
 * coded error; the argument checks used at each package's public boundary; small helpers.
 * Tornado: tornado.util.
 *
 * @example
 * import { TornadoError, checkPositive } from "@tornado/util";
 *
 * class PoolClosedError extends TornadoError<"MYAPP_ERR_POOL_CLOSED"> {
 *   static override readonly code = "MYAPP_ERR_POOL_CLOSED";
 * }
 * checkPositive(0.5, "interval");
 * console.log(new PoolClosedError("closed") instanceof TornadoError);
 */
export { TornadoError, TornadoTypeError, TornadoRangeError, isTornadoError } from "./tornado-error";
export { UTIL_ERROR_CODES, ArgumentTypeError, ArgumentRangeError } from "./errors";
export {
  checkCallback,
  checkFinite,
  checkNonNegative,
  checkNonNegativeInteger,
  checkPositive,
  checkPositiveInteger,
} from "./check-arguments";
export { describeValue } from "./describe-value";
export { isThenable } from "./is-thenable";
export { RESOLVED } from "./resolved";
