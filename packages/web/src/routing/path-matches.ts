/**
 * Path matching with Tornado's pattern semantics. Tornado: routing.PathMatches.
 */

import { urlEscape, urlUnescape } from "@tornado/escape";
import { CannotReverseError } from "../errors";
import { Matcher, type MatchableRequest, type PathArgument, type TargetParams } from "./matcher";
import {
  compileAnchored,
  firstSegmentOf,
  groupCount,
  literalPrefix,
  pythonToJsSource,
  reverseTemplate,
  withEndAnchor,
} from "./path-pattern";

// Bytes that need work after a match: a %-escape, or a non-ASCII character (a raw byte).
const NEEDS_UNQUOTE = /[%\u0080-\uffff]/;
const NO_ARGS: PathArgument[] = Object.freeze([]) as unknown as PathArgument[];
const NO_KWARGS: Record<string, PathArgument> = Object.freeze({}) as Record<string, PathArgument>;

/**
 * URL-unescapes a captured group to bytes, with `+` kept literal (Tornado: _unquote_or_none).
 * Plain ASCII without escapes is returned as the string itself (same bytes, no copy).
 */
export function unquoteGroup(value: string | undefined): PathArgument {
  if (value === undefined) return null;
  if (!NEEDS_UNQUOTE.test(value)) return value;
  return urlUnescape(Buffer.from(value, "latin1"), { encoding: null, plus: false });
}

/**
 * Matches `request.path` against a pattern. A string is a regular expression in Tornado's
 * syntax (Python's `(?P<name>...)` is accepted) with `$` appended when missing; a RegExp is
 * used as given. Both match from the start of the path (Python's re.match).
 *
 * Groups: when the pattern has named groups, only those are passed, as `pathKwargs`
 * (Tornado's path_kwargs); otherwise every group is passed positionally, as `pathArgs`.
 * Captured text is URL-unescaped to bytes (`+` stays `+`); an optional group that did not
 * take part gives null. Tornado: routing.PathMatches.
 */
export class PathMatches extends Matcher {
  readonly regex: RegExp;
  readonly #groupCount: number;
  readonly #named: boolean;
  readonly #reversePieces: string[] | null;
  readonly #firstSegment: string | null;
  readonly #sourceForErrors: string;

  constructor(pathPattern: string | RegExp) {
    super();
    this.regex = compileAnchored(pathPattern);
    this.#groupCount = groupCount(this.regex);
    this.#named = /\(\?P?<[A-Za-z_$]/.test(typeof pathPattern === "string" ? pathPattern : pathPattern.source);
    const source =
      typeof pathPattern === "string" ? pythonToJsSource(withEndAnchor(pathPattern)) : pathPattern.source;
    this.#sourceForErrors = typeof pathPattern === "string" ? withEndAnchor(pathPattern) : pathPattern.source;
    this.#reversePieces = reverseTemplate(source, this.#groupCount);
    const indexable = typeof pathPattern === "string" || !/[iu]/.test(pathPattern.flags);
    if (indexable) {
      const { prefix, complete } = literalPrefix(source);
      this.#firstSegment = firstSegmentOf(prefix, complete);
    } else {
      this.#firstSegment = null;
    }
  }

  /** The number of capturing groups (Tornado: _group_count). */
  get groupCount(): number {
    return this.#groupCount;
  }

  override firstSegment(): string | null {
    return this.#firstSegment;
  }

  match(request: MatchableRequest): TargetParams | null {
    const found = this.regex.exec(request.path);
    if (found === null) return null;
    if (this.#named) {
      const pathKwargs: Record<string, PathArgument> = {};
      const groups = found.groups ?? {};
      for (const name in groups) pathKwargs[name] = unquoteGroup(groups[name]);
      return { pathArgs: NO_ARGS, pathKwargs };
    }
    const count = found.length - 1;
    if (count === 0) return { pathArgs: NO_ARGS, pathKwargs: NO_KWARGS };
    const pathArgs = new Array<PathArgument>(count);
    for (let i = 0; i < count; i++) pathArgs[i] = unquoteGroup(found[i + 1]);
    return { pathArgs, pathKwargs: NO_KWARGS };
  }

  /**
   * Rebuilds a path from args: each is quoted as `quote(arg, safe="/")` (strings as UTF-8,
   * Buffers as they are, other values through String()). Throws CannotReverseError when the
   * pattern is too complex (e.g. `\d+` outside a group) or the count is wrong.
   * Tornado: PathMatches.reverse.
   */
  override reverse(...args: unknown[]): string {
    const pieces = this.#reversePieces;
    if (pieces === null) throw new CannotReverseError(`Cannot reverse url regex ${this.#sourceForErrors}`);
    if (args.length !== this.#groupCount) {
      throw new CannotReverseError(
        `required number of arguments not found: ${this.#sourceForErrors} takes ${this.#groupCount}, got ${args.length}`,
      );
    }
    let url = pieces[0];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const value = Buffer.isBuffer(arg) ? arg : String(arg);
      url += urlEscape(value, false) + pieces[i + 1];
    }
    return url;
  }
}
