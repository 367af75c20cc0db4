/**
 * The types that check a routing table at compile time, so that the mistakes a Tornado user
 * makes in one show up in the editor rather than as a 404 or a TypeError per request:
 *
 * - a target that is not a handler class, router, delegate, rule array or function
 *   (`["/", "MainHandler"]`, a class that does not extend RequestHandler);
 * - initialize() arguments that do not fit the handler's initialize() (missing, misspelt,
 *   wrongly typed, or given to a handler without initialize);
 * - path groups that do not fit the handler's methods: `"/users/([0-9]+)"` passes one string,
 *   so `get(id: string)` fits and `get()`... fits too (extra groups may be ignored), while
 *   `get(id: number)`, `get(a: string, b: string)` or `get({ id })` do not. Named groups pass
 *   one object (`get({ id }: { id: string })`); an optional group may be null.
 *
 * Only a pattern written as a string literal is read; a RegExp or a computed string leaves
 * the path groups unchecked, and a nested rule array is checked as RuleLike[] (its targets,
 * not their init arguments or groups). Nothing here exists at run time.
 */

import type { HTTPServerRequest } from "@tornado/httpserver";
import type { Matcher, TargetParams } from "./matcher";

// ---------------------------------------------------------------- targets

/** What every RequestHandler instance has, and other classes do not (routing does not import the handler). */
export interface HandlerLike {
  initialize(...args: never[]): void;
  prepare(): unknown;
  finish(...args: never[]): unknown;
  sendError(...args: never[]): unknown;
  onFinish(): unknown;
}

/**
 * A RequestHandler class, structurally: constructible, making a HandlerLike. (Read from the
 * instance rather than the statics, which a mixin's class type may not carry.)
 */
export type HandlerClassLike = new (...args: never[]) => HandlerLike;

/** A function target: answers the complete request through `request.connection`. */
export type RequestCallback = (request: HTTPServerRequest, params: TargetParams) => unknown;

// ---------------------------------------------------------------- path groups of a pattern

type Scan<S extends string, Count extends unknown[], Named extends string, Open extends unknown[], Optional> =
  S extends `\\${infer _Escaped}${infer Rest}` ? Scan<Rest, Count, Named, Open, Optional>
  : S extends `[${infer Rest}` ? SkipClass<Rest, Count, Named, Open, Optional>
  : S extends `(?P<${infer Name}>${infer Rest}` ? Scan<Rest, Count, Named | Name, [...Open, Name], Optional>
  : S extends `(?<=${infer Rest}` | `(?<!${infer Rest}` ? Scan<Rest, Count, Named, [...Open, ""], Optional>
  : S extends `(?<${infer Name}>${infer Rest}` ? Scan<Rest, Count, Named | Name, [...Open, Name], Optional>
  : S extends `(?${infer Rest}` ? Scan<Rest, Count, Named, [...Open, ""], Optional>
  : S extends `(${infer Rest}` ? Scan<Rest, [...Count, string], Named, [...Open, Count["length"]], Optional>
  : S extends `)${infer Rest}`
    ? Open extends [...infer Outer, infer Group]
      ? Scan<Rest, Count, Named, Outer, Rest extends `?${string}` | `*${string}` | `{0${string}` ? Optional | Group : Optional>
      : Scan<Rest, Count, Named, Open, Optional>
  : S extends `${infer _Char}${infer Rest}` ? Scan<Rest, Count, Named, Open, Optional>
  : Groups<Count, Named, Optional>;

// Inside `[...]` parentheses are plain characters.
type SkipClass<S extends string, Count extends unknown[], Named extends string, Open extends unknown[], Optional> =
  S extends `\\${infer _Escaped}${infer Rest}` ? SkipClass<Rest, Count, Named, Open, Optional>
  : S extends `]${infer Rest}` ? Scan<Rest, Count, Named, Open, Optional>
  : S extends `${infer _Char}${infer Rest}` ? SkipClass<Rest, Count, Named, Open, Optional>
  : Groups<Count, Named, Optional>;

type GroupValue<Key, Optional> = Key extends Optional ? string | null : string;

// Tornado: with named groups only those are passed (as keyword arguments), else all groups.
type Groups<Count extends unknown[], Named extends string, Optional> = [Named] extends [never]
  ? { [I in keyof Count]: I extends `${infer N extends number}` ? GroupValue<N, Optional> : Count[I] }
  : [{ [K in Named]: GroupValue<K, Optional> }];

/**
 * The arguments a handler method receives for a pattern: `"/users/([0-9]+)"` gives
 * `[string]`, `"/(?P<id>[0-9]+)"` gives `[{ id: string }]`, an optional group `string | null`.
 * `unknown[]` (no check) for a RegExp, a Matcher or a string that is not a literal.
 */
export type PathArgsOf<Pattern> = Pattern extends string
  ? string extends Pattern
    ? unknown[]
    : Scan<Pattern, [], never, [], never>
  : unknown[];

// ---------------------------------------------------------------- initialize() arguments

type Absent = undefined | null;
// An array is spread into initialize(...args): one array argument must be wrapped.
type SingleInitArg<X> = [Extract<X, readonly unknown[]>] extends [never] ? X | readonly [X] : readonly [X];
type InitArgsFor<Params extends unknown[]> = [Params] extends [never[]]
  ? Absent | readonly [] // RequestHandler's own initialize() takes nothing
  : number extends Params["length"]
    ? unknown
    : Params extends []
      ? Absent | readonly []
      : Params extends [infer X]
        ? SingleInitArg<X>
        : Params extends [(infer X)?]
          ? SingleInitArg<X> | Absent
          : Readonly<Params> | ([] extends Params ? Absent : never);

/**
 * What a rule may pass as a handler class's init arguments (Tornado's target_kwargs): for
 * `initialize(options: { db: DB })`, `{ db }` (or `[{ db }]`); for `initialize(a, b)`, the
 * array `[a, b]`; nothing for a handler without initialize. `unknown` for other targets.
 */
export type InitArgsOf<Target> = Target extends abstract new (...args: never[]) => infer Instance
  ? Instance extends { initialize(...args: infer Params): unknown }
    ? InitArgsFor<Params>
    : unknown
  : unknown;

// ---------------------------------------------------------------- rules

/** A handler class whose HTTP methods all accept `Args`: what a route with those groups needs. */
export type HandlerAccepting<Args extends unknown[]> = HandlerClassLike &
  (new (...args: never[]) => {
    get: (...args: Args) => unknown;
    head: (...args: Args) => unknown;
    post: (...args: Args) => unknown;
    delete: (...args: Args) => unknown;
    patch: (...args: Args) => unknown;
    put: (...args: Args) => unknown;
    options: (...args: Args) => unknown;
  });

/** A rule's first item. */
export type RulePattern = string | RegExp | Matcher;

/** `target` if it may serve `pattern`, else the type it would need to be (for the error message). */
export type CheckedTarget<Pattern, Target, Fallback> = Target extends HandlerClassLike
  ? unknown[] extends PathArgsOf<Pattern>
    ? Target
    : Target extends HandlerAccepting<PathArgsOf<Pattern>>
      ? Target
      : HandlerAccepting<PathArgsOf<Pattern>>
  : Fallback;

/** The items after the target: init arguments that fit it, then the name. */
export type CheckedRest<Target, Rest> = Target extends HandlerClassLike
  ? Rest extends []
    ? [undefined] extends [InitArgsOf<Target>]
      ? []
      : [initArgs: InitArgsOf<Target>]
    : Rest extends [unknown]
      ? [initArgs: InitArgsOf<Target>]
      : [initArgs: InitArgsOf<Target>, name: string | null | undefined]
  : Rest extends []
    ? []
    : Rest extends [unknown]
      ? [initArgs: unknown]
      : [initArgs: unknown, name: string | null | undefined];

/** The optional init arguments and name of `url()`, required when initialize() needs them. */
export type UrlArguments<Target> = [undefined] extends [InitArgsOf<Target>]
  ? [initArgs?: InitArgsOf<Target>, name?: string | null]
  : [initArgs: InitArgsOf<Target>, name?: string | null];

/**
 * Each rule of a table checked against its target (see the module comment); a `Rule` object
 * is taken as built, and anything else must be a `Tuple`. rule.ts instantiates it as
 * RuleTable (this module does not import the Rule class).
 */
export type CheckedRules<Rules, Rule, Tuple, Target> = {
  readonly [K in keyof Rules]: CheckedRule<Rules[K], Rule, Tuple, Target>;
};

// Distributes over a union (a table typed RuleLike[] checks each kind of rule).
type CheckedRule<Entry, Rule, Tuple, Target> = Entry extends Rule
  ? Entry
  : Entry extends readonly [infer Pattern extends RulePattern, infer T, ...infer Rest]
    ? readonly [Pattern, CheckedTarget<Pattern, T, Target>, ...CheckedRest<T, Rest>]
    : Tuple;
