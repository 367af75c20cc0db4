/**
 * The steps RequestHandler._execute runs, beside it: calling initialize with the rule's
 * arguments, parsing the body, decoding path groups, calling the HTTP method, and the end of
 * a streamed body. The order of the steps stays in RequestHandler; these functions take only
 * the handler's methods they call. Tornado: RequestHandler._execute.
 */

import { HTTPInputError } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { describeValue, isThenable } from "@tornado/util";
import { HandlerReturnTypeError, HTTPError } from "../errors";
import { decodeUtf8Argument } from "../input/request-arguments";
import { parseRequestBody } from "../input/request-body";
import type { PathArgument } from "../routing/matcher";

const NOOP = (): void => {};

const METHOD_NAMES: Record<string, string> = {
  GET: "get",
  HEAD: "head",
  POST: "post",
  DELETE: "delete",
  PATCH: "patch",
  PUT: "put",
  OPTIONS: "options",
};

/** Decodes a path group from bytes (the handler's decodeArgument). */
export type ArgumentDecoder = (value: Buffer, name?: string) => string | Buffer;

/** Calls initialize(): no argument, an array spread, or one object (Tornado's **kwargs). */
export function callInitialize(handler: { initialize(...args: unknown[]): void }, initArgs: unknown): void {
  if (initArgs === undefined) handler.initialize();
  else if (Array.isArray(initArgs)) handler.initialize(...(initArgs as unknown[]));
  else handler.initialize(initArgs);
}

/**
 * Parses a buffered body into the request's arguments and files; malformed is HTTPError(400),
 * over a limit of the request's parseBodyConfig 413.
 */
export function parseBodyArguments(request: HTTPServerRequest): void {
  try {
    parseRequestBody(request);
  } catch (error) {
    if (error instanceof HTTPInputError) throw new HTTPError(error.statusCode, "Invalid body: %s", error.message);
    throw error;
  }
}

/**
 * Whether `handler` defines the method for `httpMethod` itself (not `base`'s 405). A body is
 * parsed only for such a handler: a body sent to a method the handler does not have is never
 * parsed, and the request gets its 405.
 */
export function hasMethod(handler: object, httpMethod: string, base: object): boolean {
  const name = METHOD_NAMES[httpMethod] ?? httpMethod.toLowerCase();
  const fn = (handler as Record<string, unknown>)[name];
  return typeof fn === "function" && fn !== (base as Record<string, unknown>)[name];
}

// `decode` is an overridden decodeArgument, or null for the default (strict UTF-8): plain
// ASCII groups arrive as the decoded text already, but an override still sees bytes.
function decodePathValue(value: PathArgument, name: string | undefined, decode: ArgumentDecoder | null): string | null {
  if (value === null) return null;
  if (decode === null) return typeof value === "string" ? value : decodeUtf8Argument(value, name);
  return decode(typeof value === "string" ? Buffer.from(value, "latin1") : value, name) as string;
}

/** Unnamed path groups decoded (`decode`: an overridden decodeArgument, else null). */
export function decodePathArgs(pathArgs: PathArgument[], decode: ArgumentDecoder | null): (string | null)[] {
  const decoded = new Array<string | null>(pathArgs.length);
  for (let i = 0; i < pathArgs.length; i++) decoded[i] = decodePathValue(pathArgs[i], undefined, decode);
  return decoded;
}

/** Named path groups decoded, or null when there are none. */
export function decodePathKwargs(
  pathKwargs: Record<string, PathArgument>,
  decode: ArgumentDecoder | null,
): Record<string, string | null> | null {
  let decoded: Record<string, string | null> | null = null;
  for (const name in pathKwargs) {
    decoded ??= {};
    decoded[name] = decodePathValue(pathKwargs[name], name, decode);
  }
  return decoded;
}

/**
 * Calls the handler's method for the HTTP method (405 when it has none) with the path
 * groups: the named ones as one object when `pathKwargs` is given, else the unnamed ones.
 * Returns undefined or a Promise (see checkReturned).
 */
export function callMethod(handler: object, httpMethod: string, pathArgs: unknown[], pathKwargs: object | null): unknown {
  const name = METHOD_NAMES[httpMethod] ?? httpMethod.toLowerCase();
  const fn = (handler as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new HTTPError(405);
  let result: unknown;
  if (pathKwargs !== null) result = fn.call(handler, pathKwargs);
  else if (pathArgs.length === 0) result = fn.call(handler);
  else if (pathArgs.length === 1) result = fn.call(handler, pathArgs[0]);
  else result = fn.apply(handler, pathArgs);
  return result === undefined ? result : checkReturned(result, handler, name);
}

/**
 * What prepare() or an HTTP method returned: undefined or a Promise (awaited), anything else
 * is HandlerReturnTypeError, as Tornado's `await result` of a non-awaitable raises TypeError.
 */
export function checkReturned(result: unknown, handler: object, name: string): unknown {
  if (result === undefined || isThenable(result)) return result;
  throw new HandlerReturnTypeError(
    `${handler.constructor.name}.${name}() returned ${describeValue(result)}: a handler method returns ` +
      "undefined or a Promise (send a value with this.write())",
  );
}

/**
 * The end of a streamed body (streamRequestBody): `promise` resolves when the last chunk is
 * in and rejects when the connection closes first. Settles once.
 */
export class StreamedBody {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;
  #done = false;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(NOOP);
  }

  /** Whether it resolved or rejected already. */
  get done(): boolean {
    return this.#done;
  }

  /** The last chunk arrived. */
  resolve(): void {
    if (this.#done) return;
    this.#done = true;
    this.#resolve();
  }

  /** The body will not complete (the client left). */
  reject(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#reject(error);
  }
}
