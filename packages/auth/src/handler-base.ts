/**
 * What a mixin takes: RequestHandler or any subclass of it, abstract or not.
 */

import type { RequestHandler } from "@tornado/web";

/**
 * The arguments of a mixin's constructor: those of the handler class it extends. TypeScript
 * recognises a mixin by a constructor with a single rest parameter of type any[].
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin rule asks for exactly any[]
export type MixinArguments = any[];

/**
 * The constructor of a RequestHandler subclass, as a mixin's argument: `GoogleOAuth2Mixin(
 * RequestHandler)`, `OpenIdConnectMixin(MyBaseHandler)`. The mixin's class keeps the base's
 * API and statics and adds its own.
 */
export type RequestHandlerBase = abstract new (...args: MixinArguments) => RequestHandler;
