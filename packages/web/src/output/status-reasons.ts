/**
 * Standard reason phrases by status code (Python's http.client.responses, from httpserver).
 */
import { responses } from "@tornado/httpserver";

/** Reason phrase for each known status code. */
export const STATUS_REASONS: Readonly<Record<number, string | undefined>> = responses as Record<number, string | undefined>;
