/**
 * Talking to a provider: every request goes through the handler's AsyncHTTPClient with
 * `raiseError: false`, so that a refusal is read (status, `error`, `error_description`) and
 * reported as the AuthError of the step, and no answer at all is ProviderUnreachableError.
 */

import { HTTPClientError, type AsyncHTTPClient, type HTTPRequestOptions, type HTTPResponse } from "@tornado/httpclient";
import { ProviderUnreachableError, type AuthError, type AuthErrorDetails, type AuthStep } from "./errors";

/** An AuthError subclass, as the steps pass them around. */
export type AuthErrorClass = new (message: string, details?: AuthErrorDetails) => AuthError<string>;

/** A JSON object as providers answer it. */
export type JsonObject = Record<string, unknown>;

/**
 * Fetches from the provider; resolves with any answer (2xx or not). No answer (refused,
 * reset, timeout: Tornado's 599) rejects with ProviderUnreachableError naming `what`.
 */
export async function fetchFromProvider(
  client: AsyncHTTPClient,
  url: string,
  options: HTTPRequestOptions,
  step: AuthStep,
  what: string,
): Promise<HTTPResponse> {
  try {
    return await client.fetch(url, { ...options, raiseError: false });
  } catch (error) {
    if (error instanceof HTTPClientError && error.code === 599) {
      throw new ProviderUnreachableError(`${what}: no answer from ${originOf(url)} (${error.message})`, { step, cause: error });
    }
    throw error;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

const NOT_JSON = Symbol("not JSON");

function parse(response: HTTPResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * The provider's error in its own shape: OAuth's `error` and `error_description` (RFC 6749
 * §5.2), an API error object (Facebook's Graph `{ type, message }`, Google's `{ status,
 * message }`), or GitHub's REST `message`.
 */
function providerErrorOf(body: unknown): { providerError?: string; providerErrorDescription?: string } {
  if (!isObject(body)) return {};
  const { error } = body;
  if (typeof error === "string") return { providerError: error, providerErrorDescription: stringOf(body.error_description) };
  if (isObject(error)) return { providerError: stringOf(error.type) ?? stringOf(error.status), providerErrorDescription: stringOf(error.message) };
  return { providerErrorDescription: stringOf(body.message) };
}

/**
 * The answer's JSON value. A non-2xx status, an object with an `error` member (GitHub answers
 * errors with 200) or a body that is not JSON throws `ErrorClass` with the status and the
 * provider's error (see providerErrorOf).
 */
export function providerJsonValue(response: HTTPResponse, step: AuthStep, ErrorClass: AuthErrorClass, what: string): unknown {
  const body = parse(response);
  const failed = response.code < 200 || response.code >= 300 || (isObject(body) && body.error !== undefined && body.error !== null);
  if (failed) throw new ErrorClass(`${what} failed`, { step, status: response.code, ...providerErrorOf(body) });
  if (body === NOT_JSON) throw new ErrorClass(`${what}: the answer is not JSON`, { step, status: response.code });
  return body;
}

/** providerJsonValue, for answers that must be a JSON object. */
export function providerJson(response: HTTPResponse, step: AuthStep, ErrorClass: AuthErrorClass, what: string): JsonObject {
  const body = providerJsonValue(response, step, ErrorClass, what);
  if (!isObject(body)) throw new ErrorClass(`${what}: the answer is not a JSON object`, { step, status: response.code });
  return body;
}

/** The answer's text, or `ErrorClass` with the status for a non-2xx answer. */
export function providerText(response: HTTPResponse, step: AuthStep, ErrorClass: AuthErrorClass, what: string): string {
  if (response.code < 200 || response.code >= 300) {
    throw new ErrorClass(`${what} failed`, { step, status: response.code, ...providerErrorOf(parse(response)) });
  }
  return response.text;
}
