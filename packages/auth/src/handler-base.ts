/**
 * What a mixin takes: RequestHandler or any subclass of it, abstract or not.
 */

import type { RequestHandler } from "@tornado/web";

/**
 * The constructor of a RequestHandler subclass, as a mixin's argument: `GoogleOAuth2Mixin(
 * RequestHandler)`, `OpenIdConnectMixin(MyBaseHandler)`. The mixin's class keeps the base's
 * API and statics and adds its own.
 */
// The rest parameter of type any[] is what TypeScript requires of a mixin's base constructor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestHandlerBase = abstract new (...args: any[]) => RequestHandler;
