/**
 * The undici dispatchers of one AsyncHTTPClient: a pooled Agent per distinct set of
 * connection settings (connect timeout, TLS options, proxy). Pools are keyed on those
 * settings so that a request never rides a connection made with other TLS options
 * (Tornado issue #324: pool keys must include scheme, host, port and TLS options; undici
 * keys each Agent's pools on the origin).
 */

import { readFileSync } from "node:fs";
import { Agent, ProxyAgent, type Dispatcher } from "undici";
import { HTTPRequestOptionError } from "./errors";

/** The request options that decide which pool a request uses. */
export interface ConnectionSettings {
  /** Seconds; 0 waits forever. */
  connectTimeout: number;
  validateCert: boolean;
  caCerts: string | Buffer | undefined;
  clientKey: string | Buffer | undefined;
  clientCert: string | Buffer | undefined;
  proxyHost: string | undefined;
  proxyPort: number | undefined;
  proxyUsername: string | undefined;
  proxyPassword: string | undefined;
}

function readPem(option: string, value: string | Buffer | undefined): Buffer | undefined {
  if (value === undefined || Buffer.isBuffer(value)) return value;
  try {
    return readFileSync(value);
  } catch (error) {
    throw new HTTPRequestOptionError(option, `${option}: cannot read ${JSON.stringify(value)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function pemKey(value: string | Buffer | undefined): string {
  if (value === undefined) return "";
  return Buffer.isBuffer(value) ? `b:${value.toString("base64")}` : `f:${value}`;
}

export class DispatcherPool {
  readonly #maxClients: number;
  readonly #maxHeaderSize: number;
  readonly #allowH2: boolean;
  readonly #dispatchers = new Map<string, Dispatcher>();

  /**
   * @param maxClients connections per origin in each pool
   * @param maxHeaderSize bytes of response head accepted
   * @param allowH2 offer HTTP/2 by ALPN on TLS connections
   */
  constructor(maxClients: number, maxHeaderSize: number, allowH2 = false) {
    this.#maxClients = maxClients;
    this.#maxHeaderSize = maxHeaderSize;
    this.#allowH2 = allowH2;
  }

  /** The dispatcher for these settings, created on first use. */
  get(settings: ConnectionSettings): Dispatcher {
    const key =
      `${settings.connectTimeout}|${settings.validateCert}|${pemKey(settings.caCerts)}|` +
      `${pemKey(settings.clientKey)}|${pemKey(settings.clientCert)}|` +
      `${settings.proxyHost ?? ""}|${settings.proxyPort ?? ""}|${settings.proxyUsername ?? ""}|${settings.proxyPassword ?? ""}`;
    let dispatcher = this.#dispatchers.get(key);
    if (dispatcher === undefined) {
      dispatcher = this.#create(settings);
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  #create(settings: ConnectionSettings): Dispatcher {
    const tls = {
      rejectUnauthorized: settings.validateCert,
      ca: readPem("caCerts", settings.caCerts),
      key: readPem("clientKey", settings.clientKey),
      cert: readPem("clientCert", settings.clientCert),
    };
    const connect = { timeout: settings.connectTimeout * 1000, ...tls };
    const common = {
      connections: this.#maxClients,
      maxHeaderSize: this.#maxHeaderSize,
      headersTimeout: 0,
      bodyTimeout: 0,
      allowH2: this.#allowH2,
    };
    if (settings.proxyHost === undefined) return new Agent({ ...common, connect });
    const host = settings.proxyHost.includes(":") ? `[${settings.proxyHost}]` : settings.proxyHost;
    const token =
      settings.proxyUsername === undefined
        ? undefined
        : `Basic ${Buffer.from(`${settings.proxyUsername}:${settings.proxyPassword ?? ""}`).toString("base64")}`;
    return new ProxyAgent({
      ...common,
      uri: `http://${host}:${settings.proxyPort}`,
      token,
      connect,
      requestTls: tls,
    });
  }

  /** Closes every pool: idle connections now, busy ones when their request ends. */
  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  }
}
