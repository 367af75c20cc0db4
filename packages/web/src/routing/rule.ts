/**
 * A routing rule: a matcher, a target and its arguments, an optional name.
 * Tornado: routing.Rule, routing.URLSpec (alias web.url).
 */

import type { HTTPServerConnectionDelegate } from "@tornado/httpserver";
import { describeValue } from "@tornado/util";
import { RouteError } from "../errors";
import { Matcher } from "./matcher";
import { PathMatches } from "./path-matches";
import type {
  CheckedRules,
  CheckedTarget,
  HandlerClassLike,
  RequestCallback,
  RulePattern,
  UrlArguments,
} from "./route-types";

/**
 * What a rule may point at: a RequestHandler subclass, a Router (a nested RuleRouter, an
 * Application) or any HTTPServerConnectionDelegate, an array of rules (a nested router), or
 * a function `(request, params)` that answers through `request.connection`.
 */
export type RuleTarget = HandlerClassLike | HTTPServerConnectionDelegate | readonly RuleLike[] | RequestCallback;

/** A rule as written in a table: `[pattern, target]`, `[pattern, target, initArgs]`, `[pattern, target, initArgs, name]`. */
export type RuleTuple =
  | readonly [RulePattern, RuleTarget]
  | readonly [RulePattern, RuleTarget, unknown]
  | readonly [RulePattern, RuleTarget, unknown, string | null | undefined];

/** Anything a router's addRules accepts. */
export type RuleLike = Rule | RuleTuple;

/**
 * A table of rules checked rule by rule at compile time: targets, initialize() arguments and
 * path groups against the handler's methods (see route-types.ts). What Application and
 * addHandlers take.
 */
export type RuleTable<Rules extends readonly unknown[]> = CheckedRules<Rules, Rule, RuleTuple, RuleTarget>;

/** Tornado: routing.Rule(matcher, target, target_kwargs=None, name=None). */
export class Rule {
  readonly matcher: Matcher;
  target: RuleTarget;
  /**
   * The target's arguments (Tornado's target_kwargs). For a RequestHandler: an array is
   * spread into initialize(...args); anything else is passed as its single argument.
   */
  readonly targetKwargs: unknown;
  readonly name: string | null;

  constructor(matcher: Matcher, target: RuleTarget, targetKwargs?: unknown, name?: string | null) {
    if (!(matcher instanceof Matcher)) {
      throw new RouteError(`Rule matcher must be a Matcher, got ${typeof matcher}`);
    }
    if (target === null || target === undefined) {
      throw new RouteError(`Rule target must be a handler class, router, delegate or function, got ${String(target)}`);
    }
    this.matcher = matcher;
    this.target = target;
    this.targetKwargs = targetKwargs ?? undefined;
    this.name = name ?? null;
  }

  /** Tornado: Rule.reverse. */
  reverse(...args: unknown[]): string | null {
    return this.matcher.reverse(...args);
  }

  toString(): string {
    return `Rule(${this.matcher.constructor.name}, ${describeTarget(this.target)}, name=${this.name})`;
  }
}

function describeTarget(target: unknown): string {
  return typeof target === "function" ? target.name || "<function>" : String(target);
}

/**
 * Throws RouteError unless `target` is something a router can route to: an object with
 * findHandler or startRequest (a Router, an Application, a delegate) or a function that is
 * not a class. Tornado's dotted-name strings ("pkg.Handler") are refused with a hint; handler
 * classes are the Application's to accept (it checks them before calling this).
 */
export function checkRuleTarget(target: unknown): void {
  if (typeof target === "function") {
    if (!isClass(target)) return;
    throw new RouteError(`Rule target ${target.name || "<class>"} is a class but not a RequestHandler subclass`);
  }
  if (typeof target === "object" && target !== null) {
    const candidate = target as { findHandler?: unknown; startRequest?: unknown };
    if (typeof candidate.findHandler === "function" || typeof candidate.startRequest === "function") return;
  }
  const hint = typeof target === "string" ? " (give the handler class itself, not its name)" : "";
  const expected = "a RequestHandler class, a router, an HTTPServerConnectionDelegate, an array of rules or a function";
  throw new RouteError(`Rule target must be ${expected}, got ${describeValue(target)}${hint}`);
}

// A class cannot be called without `new`, so it is never a function target.
function isClass(fn: object): boolean {
  return Function.prototype.toString.call(fn).startsWith("class");
}

/**
 * A Rule with a PathMatches matcher, as `url(...)` builds it. Tornado: web.URLSpec.
 */
export class URLSpec extends Rule {
  declare readonly matcher: PathMatches;

  constructor(pattern: string | RegExp, handler: RuleTarget, kwargs?: unknown, name?: string | null) {
    super(new PathMatches(pattern), handler, kwargs, name);
  }

  /** The compiled pattern. Tornado: URLSpec.regex. */
  get regex(): RegExp {
    return this.matcher.regex;
  }

  /** Tornado: URLSpec.handler_class. */
  get handlerClass(): RuleTarget {
    return this.target;
  }

  /** Tornado: URLSpec.kwargs. */
  get kwargs(): unknown {
    return this.targetKwargs;
  }

  override reverse(...args: unknown[]): string {
    return this.matcher.reverse(...args);
  }
}

/**
 * Builds a URLSpec: `url("/story/([0-9]+)", StoryHandler, { db }, "story")`. The compiler
 * checks the handler against the pattern's groups and initArgs against its initialize()
 * (see route-types.ts). Tornado: web.url.
 */
export function url<
  const Pattern extends string | RegExp,
  Target extends HandlerClassLike | HTTPServerConnectionDelegate | RequestCallback,
>(
  pattern: Pattern,
  handler: Target & CheckedTarget<Pattern, Target, RuleTarget>,
  ...rest: UrlArguments<Target>
): URLSpec {
  const [kwargs, name] = rest as [unknown, (string | null)?];
  return new URLSpec(pattern, handler, kwargs, name);
}

/** Turns a table entry into a Rule. Tornado: RuleRouter.add_rules. */
export function toRule(rule: RuleLike): Rule {
  if (rule instanceof Rule) return rule;
  if (!Array.isArray(rule) || rule.length < 2 || rule.length > 4) {
    throw new RouteError(`a rule must be a Rule or an array of 2 to 4 items, got ${JSON.stringify(rule) ?? describeValue(rule)}`);
  }
  const [first, target, kwargs, name] = rule as unknown as [unknown, RuleTarget, unknown, string | null | undefined];
  if (typeof first === "string" || first instanceof RegExp) return new Rule(new PathMatches(first), target, kwargs, name);
  if (first instanceof Matcher) return new Rule(first, target, kwargs, name);
  throw new RouteError(`a rule's first item must be a pattern string, a RegExp or a Matcher, got ${typeof first}`);
}
