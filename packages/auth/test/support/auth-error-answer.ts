/**
 * How the test apps answer a failed login: 401 with the AuthError's code, step, status,
 * provider error and message as JSON, so that a test can read which failure it was.
 */

import type { RequestHandler } from "@tornado/web";
import { AuthError } from "@tornado/auth";

/** An AuthError as the test apps answer it. */
export interface AuthErrorAnswer {
  code: string;
  step: string | null;
  status: number | null;
  providerError: string | null;
  message: string;
}

/** Answers an AuthError 401 as AuthErrorAnswer JSON; rethrows anything else. */
export async function answerAuthError(handler: RequestHandler, error: unknown): Promise<void> {
  if (!(error instanceof AuthError)) throw error;
  handler.setStatus(401);
  const answer: AuthErrorAnswer = {
    code: error.code,
    step: error.step ?? null,
    status: error.status ?? null,
    providerError: error.providerError ?? null,
    message: error.message,
  };
  await handler.finish(answer as unknown as Record<string, unknown>);
}
