/**
 * Name resolution for TCPClient: a Resolver interface, the default one on dns.lookup, and an
 * override for tests. Tornado: tornado.netutil.Resolver, DefaultLoopResolver, OverrideResolver.
 */

import * as dns from "node:dns";
import * as net from "node:net";
import { ArgumentRangeError, ArgumentTypeError, describeValue } from "@tornado/util";

/** Address family: 0 for any (Tornado's AF_UNSPEC), 4 (AF_INET) or 6 (AF_INET6). */
export type AddressFamily = 0 | 4 | 6;

/** One resolved address (Tornado returns `(family, (host, port))` tuples). */
export interface ResolvedAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

function checkFamily(family: unknown): AddressFamily {
  if (family === undefined || family === null) return 0;
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new ArgumentRangeError(`family must be 0, 4 or 6, got ${describeValue(family)}`);
  }
  return family;
}

function checkPort(port: unknown): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ArgumentRangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  return port;
}

/**
 * Resolves a host name to addresses. Subclass it and implement resolve() to plug in another
 * resolver (a cache, DNS over HTTPS, a test table). Tornado: tornado.netutil.Resolver.
 */
export abstract class Resolver {
  /**
   * @param family 0 (default) for any family, 4 or 6 to restrict.
   * @returns the addresses in the resolver's order of preference; rejects if there is none.
   */
  abstract resolve(host: string, port: number, family?: AddressFamily): Promise<ResolvedAddress[]>;

  /** Releases whatever the resolver holds. Tornado: Resolver.close. */
  close(): void {}
}

/**
 * The default resolver: `dns.lookup` (getaddrinfo, so /etc/hosts applies) in the order the
 * system returns. Tornado: DefaultLoopResolver (the default since Tornado 6.2).
 */
export class DefaultResolver extends Resolver {
  async resolve(host: string, port: number, family: AddressFamily = 0): Promise<ResolvedAddress[]> {
    if (typeof host !== "string" || host === "") {
      throw new ArgumentTypeError(`host must be a non-empty string, got ${JSON.stringify(host)}`);
    }
    checkPort(port);
    const wanted = checkFamily(family);
    const literal = net.isIP(host);
    if (literal !== 0) {
      if (wanted !== 0 && wanted !== literal) {
        throw new ArgumentRangeError(`${host} is not an IPv${wanted} address`);
      }
      return [{ family: literal as 4 | 6, address: host, port }];
    }
    const found = await dns.promises.lookup(host, { all: true, family: wanted, verbatim: true });
    return found.map((entry) => ({ family: entry.family as 4 | 6, address: entry.address, port }));
  }
}

/** What an OverrideResolver maps a host (or host and port) to. */
export type OverrideTarget = string | [host: string, port: number];

/**
 * Resolves through another resolver after replacing hosts from a mapping; for tests and
 * local setups. Keys are tried most specific first: `"host:port:family"` (family 4 or 6),
 * `"host:port"`, then `"host"`. A `"host"` key maps to a host; the others to `[host, port]`.
 *
 * @example new OverrideResolver({ "example.com": "127.0.0.1", "example.com:443": ["127.0.0.1", 8443] })
 *
 * Tornado: tornado.netutil.OverrideResolver(resolver, mapping).
 */
export class OverrideResolver extends Resolver {
  readonly resolver: Resolver;
  readonly mapping: Map<string, OverrideTarget>;

  /**
   * @param resolverOrMapping the resolver to delegate to (default: a DefaultResolver), or the
   *   mapping directly.
   */
  constructor(
    resolverOrMapping: Resolver | Record<string, OverrideTarget> | Map<string, OverrideTarget>,
    mapping?: Record<string, OverrideTarget> | Map<string, OverrideTarget>,
  ) {
    super();
    if (resolverOrMapping instanceof Resolver) {
      this.resolver = resolverOrMapping;
    } else {
      this.resolver = new DefaultResolver();
      mapping = resolverOrMapping;
    }
    if (mapping === undefined || mapping === null || typeof mapping !== "object") {
      throw new ArgumentTypeError(`mapping must be an object or a Map, got ${String(mapping)}`);
    }
    this.mapping = mapping instanceof Map ? new Map(mapping) : new Map(Object.entries(mapping));
  }

  resolve(host: string, port: number, family: AddressFamily = 0): Promise<ResolvedAddress[]> {
    const exact = this.mapping.get(`${host}:${port}:${family}`) ?? this.mapping.get(`${host}:${port}`);
    if (Array.isArray(exact)) {
      [host, port] = exact;
    } else {
      const hostOnly = this.mapping.get(host);
      if (typeof hostOnly === "string") host = hostOnly;
      else if (Array.isArray(hostOnly)) [host, port] = hostOnly;
    }
    return this.resolver.resolve(host, port, family);
  }

  override close(): void {
    this.resolver.close();
  }
}

export { checkFamily, checkPort };
