/**
 * Host-based matchers. Tornado: routing.HostMatches, routing.DefaultHostMatches.
 */

import { Matcher, type MatchableRequest, type TargetParams } from "./matcher";
import { compileAnchored } from "./path-pattern";

/**
 * Matches `request.hostName` (lowercase, without port) against a pattern. A string pattern
 * gets `$` appended when it lacks one, as Tornado does; matching is anchored at the start.
 * Tornado: routing.HostMatches.
 */
export class HostMatches extends Matcher {
  readonly hostPattern: RegExp;

  constructor(hostPattern: string | RegExp) {
    super();
    this.hostPattern = compileAnchored(hostPattern);
  }

  match(request: MatchableRequest): TargetParams | null {
    return this.hostPattern.test(request.hostName) ? {} : null;
  }
}

/** The part of Application that DefaultHostMatches reads. */
export interface HasDefaultHost {
  defaultHost: string | null | undefined;
}

/**
 * Matches when the application's `defaultHost` matches the pattern, unless the request
 * carries `X-Real-Ip` (a proxied request names its host). Tornado: routing.DefaultHostMatches.
 */
export class DefaultHostMatches extends Matcher {
  readonly hostPattern: RegExp;

  constructor(
    readonly application: HasDefaultHost,
    hostPattern: string | RegExp,
  ) {
    super();
    this.hostPattern = compileAnchored(hostPattern);
  }

  match(request: MatchableRequest): TargetParams | null {
    if (request.headers.has("X-Real-Ip")) return null;
    const host = this.application.defaultHost;
    return host != null && this.hostPattern.test(host) ? {} : null;
  }
}
