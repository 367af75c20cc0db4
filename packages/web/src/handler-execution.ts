/**
 * The steps RequestHandler._execute runs, kept out of request-handler.ts: calling
 * initialize with the rule's arguments, parsing the body, decoding path groups, calling the
 * HTTP method, and the pending body of a streamed request. The order of the steps and the
 * handler's private state stay in RequestHandler. Tornado: RequestHandler._execute.
 */

import { HTTPInputError } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { HTTPError } from "./errors";
import type { PathArgument } from "./matcher";
import { parseRequestBody } from "./request-body";
import type { RequestHandler } from "./request-handler";

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

/** Calls initialize(): no argument, an array spread, or one object (Tornado's **kwargs). */
export function callInitialize(handler: RequestHandler, initArgs: unknown): void {
  if (initArgs === undefined) handler.initialize();
  else if (Array.isArray(initArgs)) handler.initialize(...initArgs);
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
 * Whether the handler defines the method for the request's HTTP method (not the base class's
 * 405). A body is parsed only for such a handler: a body sent to a method the handler does
 * not have is never parsed, and the request gets its 405.
 */
export function hasMethod(handler: RequestHandler, base: object): boolean {
  const method = handler.request.method;
  const name = METHOD_NAMES[method] ?? method.toLowerCase();
  const fn = (handler as unknown as Record<string, unknown>)[name];
  return typeof fn === "function" && fn !== (base as Record<string, unknown>)[name];
}

function decodePathValue(handler: RequestHandler, value: PathArgument, name: string | undefined, custom: boolean): string | null {
  if (value === null) return null;
  if (typeof value === "string") {
    // Plain ASCII, already the decoded text; an overridden decodeArgument still sees bytes.
    return custom ? (handler.decodeArgument(Buffer.from(value, "latin1"), name) as string) : value;
  }
  return handler.decodeArgument(value, name) as string;
}

/** Unnamed path groups through decodeArgument (`custom`: it is overridden). */
export function decodePathArgs(handler: RequestHandler, pathArgs: PathArgument[], custom: boolean): (string | null)[] {
  const decoded = new Array<string | null>(pathArgs.length);
  for (let i = 0; i < pathArgs.length; i++) decoded[i] = decodePathValue(handler, pathArgs[i], undefined, custom);
  return decoded;
}

/** Named path groups through decodeArgument, or null when there are none. */
export function decodePathKwargs(
  handler: RequestHandler,
  pathKwargs: Record<string, PathArgument>,
  custom: boolean,
): Record<string, string | null> | null {
  let decoded: Record<string, string | null> | null = null;
  for (const name in pathKwargs) {
    decoded ??= {};
    decoded[name] = decodePathValue(handler, pathKwargs[name], name, custom);
  }
  return decoded;
}

/**
 * Calls the handler's method for the request's HTTP method (405 when it has none) with the
 * path groups: the named ones as one object when `namedGroups`, else the unnamed ones.
 */
export function callMethod(handler: RequestHandler, namedGroups: boolean): unknown {
  const method = handler.request.method;
  const name = METHOD_NAMES[method] ?? method.toLowerCase();
  const fn = (handler as unknown as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new HTTPError(405);
  if (namedGroups) return fn.call(handler, handler.pathKwargs);
  const args = handler.pathArgs;
  switch (args.length) {
    case 0:
      return fn.call(handler);
    case 1:
      return fn.call(handler, args[0]);
    default:
      return fn.apply(handler, args);
  }
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
