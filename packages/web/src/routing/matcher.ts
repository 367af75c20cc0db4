/**
 * Matchers decide whether a rule applies to a request. Tornado: routing.Matcher, AnyMatches.
 */

import type { HTTPServerRequest } from "@tornado/httpserver";

/**
 * A path argument as a matcher hands it over: URL-unescaped bytes (a Buffer), a string when
 * the group was plain ASCII without escapes (the same value, already decoded, which saves a
 * copy per request), or null for an optional group that did not take part.
 */
export type PathArgument = Buffer | string | null;

/** What a matcher hands to the rule's target (Tornado's target_params dict). */
export interface TargetParams {
  /** Positional groups, in order (unnamed groups). */
  pathArgs?: PathArgument[];
  /** Named groups, by name (Tornado's path_kwargs). */
  pathKwargs?: Record<string, PathArgument>;
  /** The rule's initialize() arguments (Tornado's target_kwargs). */
  targetKwargs?: unknown;
}

/** The request fields matchers read: a full HTTPServerRequest satisfies it. */
export type MatchableRequest = Pick<HTTPServerRequest, "path" | "hostName" | "headers">;

/** Decides whether a request matches; subclass it for custom routing. Tornado: routing.Matcher. */
export abstract class Matcher {
  /**
   * Returns the target params (possibly `{}`) when the request matches, else null.
   * Tornado: Matcher.match.
   */
  abstract match(request: MatchableRequest): TargetParams | null;

  /** Rebuilds a URL from args, or null when the matcher cannot. Tornado: Matcher.reverse. */
  reverse(..._args: unknown[]): string | null {
    return null;
  }

  /**
   * The exact first path segment every matching request has (`"users"` for `/users/(\d+)`),
   * or null when unknown. RuleRouter uses it to look rules up without scanning them all;
   * a custom matcher keeps the default (null: always a candidate).
   */
  firstSegment(): string | null {
    return null;
  }
}

/** Matches every request. Tornado: routing.AnyMatches. */
export class AnyMatches extends Matcher {
  match(_request: MatchableRequest): TargetParams {
    return {};
  }
}
