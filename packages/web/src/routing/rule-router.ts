/**
 * Rule tables. Tornado: routing.RuleRouter, routing.ReversibleRuleRouter.
 *
 * Lookup keeps Tornado's semantics (rules in order, the first match whose target yields a
 * delegate wins) without scanning every regex: each rule whose pattern fixes the first path
 * segment (`/users/(\d+)` -> `users`) is filed under it, and a request only tries the rules
 * filed under its own first segment plus the rules that could match any path, in table order.
 */

import type { HTTPMessageDelegate, HTTPServerRequest } from "@tornado/httpserver";
import { appLog } from "@tornado/ioloop";
import { ArgumentTypeError } from "@tornado/util";
import { UrlNotFoundError } from "../errors";
import type { TargetParams } from "./matcher";
import { firstSegmentOfPath } from "./path-pattern";
import { isConnectionDelegate, isReversibleRouter, isRouter, ReversibleRouter } from "./router";
import { CallableAdapter } from "./routing-delegate";
import { checkRuleTarget, type Rule, toRule, type RuleLike } from "./rule";

// Below this many rules an ordered scan is as cheap as the index.
const INDEX_THRESHOLD = 8;

/** Rules bucketed by first path segment, each bucket in table order. */
class RouteIndex {
  readonly #buckets = new Map<string, Rule[]>();
  readonly #anyPath: Rule[] = [];

  constructor(rules: readonly Rule[]) {
    const segments = rules.map((rule) => rule.matcher.firstSegment());
    const keys = new Set<string>();
    for (const segment of segments) if (segment !== null) keys.add(segment);
    for (let i = 0; i < rules.length; i++) if (segments[i] === null) this.#anyPath.push(rules[i]);
    for (const key of keys) {
      const bucket: Rule[] = [];
      for (let i = 0; i < rules.length; i++) if (segments[i] === null || segments[i] === key) bucket.push(rules[i]);
      this.#buckets.set(key, bucket);
    }
  }

  candidates(path: string): readonly Rule[] {
    return this.#buckets.get(firstSegmentOfPath(path)) ?? this.#anyPath;
  }
}

/**
 * A router over an ordered list of rules. Targets: a Router (asked in turn), an
 * HTTPServerConnectionDelegate such as an Application, an array of rules (a nested router),
 * or a function `(request, params)` that answers through `request.connection`.
 * Tornado: routing.RuleRouter.
 */
export class RuleRouter extends ReversibleRouter {
  /** The rules in order. After changing this array in place, call invalidateIndex(). */
  readonly rules: Rule[] = [];
  #index: RouteIndex | null = null;
  #indexedLength = -1;

  constructor(rules?: readonly RuleLike[]) {
    super();
    if (rules !== undefined) this.addRules(rules);
  }

  /** Appends rules (Rule objects or tuples). Tornado: RuleRouter.add_rules. */
  addRules(rules: readonly RuleLike[]): void {
    if (!Array.isArray(rules)) throw new ArgumentTypeError(`rules must be an array, got ${typeof rules}`);
    // Array.isArray() above made `rules` any[]
    for (const rule of rules as readonly RuleLike[]) this.rules.push(this.processRule(toRule(rule)));
    this.invalidateIndex();
  }

  /** Inserts a rule at a position (Tornado code does `rules.insert(-1, rule)`). */
  insertRule(position: number, rule: RuleLike): void {
    this.rules.splice(position, 0, this.processRule(toRule(rule)));
    this.invalidateIndex();
  }

  /** Forces the lookup index to be rebuilt on the next request. */
  invalidateIndex(): void {
    this.#index = null;
    this.#indexedLength = -1;
  }

  /**
   * Hook to transform a rule as it is added: nested rule arrays become routers here, and a
   * target no router can use (a string, a class that is not a handler...) is RouteError now
   * rather than a 404 per request.
   */
  processRule(rule: Rule): Rule {
    if (Array.isArray(rule.target)) rule.target = this.createNestedRouter(rule.target as RuleLike[]);
    else this.checkTarget(rule.target);
    return rule;
  }

  /** Throws RouteError unless this router can route to `target` (see checkRuleTarget). */
  protected checkTarget(target: unknown): void {
    checkRuleTarget(target);
  }

  /** Builds the router for a nested rule array. */
  protected createNestedRouter(rules: RuleLike[]): RuleRouter {
    return new RuleRouter(rules);
  }

  /** The rules a request could match, in table order. */
  protected candidates(request: HTTPServerRequest): readonly Rule[] {
    const rules = this.rules;
    if (rules.length < INDEX_THRESHOLD) return rules;
    if (this.#index === null || this.#indexedLength !== rules.length) {
      this.#index = new RouteIndex(rules);
      this.#indexedLength = rules.length;
    }
    return this.#index.candidates(request.path);
  }

  findHandler(request: HTTPServerRequest, _params?: TargetParams): HTTPMessageDelegate | null {
    const candidates = this.candidates(request);
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i];
      const params = rule.matcher.match(request);
      if (params === null) continue;
      if (rule.targetKwargs !== undefined) params.targetKwargs = rule.targetKwargs;
      const delegate = this.getTargetDelegate(rule.target, request, params);
      if (delegate !== null) return delegate;
    }
    return null;
  }

  /** The delegate for a matched target, or null to keep looking. Tornado: get_target_delegate. */
  getTargetDelegate(target: unknown, request: HTTPServerRequest, params: TargetParams): HTTPMessageDelegate | null {
    if (isRouter(target)) return target.findHandler(request, params);
    if (isConnectionDelegate(target)) {
      const connection = request.connection;
      if (connection === undefined) return null;
      return target.startRequest((request as { serverConnection?: object }).serverConnection ?? {}, connection);
    }
    if (typeof target === "function") {
      return new CallableAdapter((req) => (target as (r: HTTPServerRequest, p: TargetParams) => unknown)(req, params), request);
    }
    return null;
  }

  reverseUrl(name: string, ...args: unknown[]): string | null {
    for (const rule of this.rules) {
      if (isReversibleRouter(rule.target)) {
        let url: string | null;
        try {
          url = rule.target.reverseUrl(name, ...args);
        } catch (error) {
          // A nested Application throws for names it does not know; keep looking.
          if (error instanceof UrlNotFoundError) continue;
          throw error;
        }
        if (url !== null) return url;
      }
    }
    return null;
  }
}

/**
 * A RuleRouter whose rules can be named and reversed, nested routers included.
 * Tornado: routing.ReversibleRuleRouter.
 */
export class ReversibleRuleRouter extends RuleRouter {
  readonly namedRules = new Map<string, Rule>();

  constructor(rules?: readonly RuleLike[]) {
    // Rules are added after this class's fields exist (processRule uses namedRules).
    super();
    if (rules !== undefined) this.addRules(rules);
  }

  override processRule(rule: Rule): Rule {
    rule = super.processRule(rule);
    if (rule.name !== null) {
      if (this.namedRules.has(rule.name)) {
        appLog.warning(`Multiple handlers named ${rule.name}; replacing previous value`);
      }
      this.namedRules.set(rule.name, rule);
    }
    return rule;
  }

  protected override createNestedRouter(rules: RuleLike[]): RuleRouter {
    return new ReversibleRuleRouter(rules);
  }

  override reverseUrl(name: string, ...args: unknown[]): string | null {
    const rule = this.namedRules.get(name);
    if (rule !== undefined) return rule.matcher.reverse(...args);
    return super.reverseUrl(name, ...args);
  }
}
