/**
 * TLS sockets for IOStream: wrapping a connected socket (client or server side) and the server
 * options built once per TCPServer. No IOStream here, so that IOStream.startTls and
 * SSLIOStream both use it without importing each other.
 *
 * Tornado: netutil.ssl_wrap_socket, ssl_options_to_context.
 */

import * as net from "node:net";
import * as tls from "node:tls";

/** TLS options accepted by startTls, SSLIOStream and TCPServer/TCPClient (Tornado: ssl_options). */
export type SSLOptions = tls.SecureContextOptions &
  Pick<
    tls.TLSSocketOptions,
    "requestCert" | "rejectUnauthorized" | "ALPNProtocols" | "SNICallback" | "secureContext"
  > &
  Pick<tls.ConnectionOptions, "checkServerIdentity" | "servername" | "session" | "minDHSize">;

/**
 * Wraps a connected socket in TLS: the server side with `sslOptions` (a `secureContext` in it
 * is reused; otherwise one is made), the client side with tls.connect, which verifies the
 * server's certificate against `serverHostname` unless `rejectUnauthorized` is false.
 *
 * Tornado: netutil.ssl_wrap_socket.
 */
export function wrapTlsSocket(
  socket: net.Socket,
  serverSide: boolean,
  sslOptions: SSLOptions = {},
  serverHostname?: string,
): tls.TLSSocket {
  if (serverSide) return serverTlsSocket(socket, serverTlsOptions(sslOptions));
  const options: tls.ConnectionOptions = { ...sslOptions, socket };
  if (serverHostname !== undefined) {
    options.host = serverHostname;
    // SNI carries host names only (RFC 6066 section 3).
    if (options.servername === undefined && net.isIP(serverHostname) === 0) {
      options.servername = serverHostname;
    }
  }
  return tls.connect(options);
}

/** Options for server-side TLSSockets, with the secure context built once. */
export function serverTlsOptions(sslOptions: SSLOptions): tls.TLSSocketOptions {
  return {
    isServer: true,
    secureContext: sslOptions.secureContext ?? tls.createSecureContext(sslOptions),
    requestCert: sslOptions.requestCert,
    // As tls.Server: with requestCert, untrusted client certificates are refused by default.
    rejectUnauthorized: sslOptions.requestCert ? sslOptions.rejectUnauthorized !== false : false,
    ALPNProtocols: sslOptions.ALPNProtocols,
    SNICallback: sslOptions.SNICallback,
  };
}

interface TLSHandleInternals {
  _handle?: { verifyError?: () => Error | null } | null;
}

/**
 * A server-side TLSSocket over `socket`. OpenSSL only refuses a client without a certificate;
 * tls.Server checks the certificate's chain after the handshake, and so does this (setting
 * `authorized` / `authorizationError` as tls.Server does, and destroying the socket with the
 * verification error when `rejectUnauthorized`).
 */
export function serverTlsSocket(socket: net.Socket, options: tls.TLSSocketOptions): tls.TLSSocket {
  const tlsSocket = new tls.TLSSocket(socket, options);
  if (options.requestCert) {
    tlsSocket.once("secure", () => {
      const verifyError = (tlsSocket as unknown as TLSHandleInternals)._handle?.verifyError?.() ?? null;
      if (verifyError === null) {
        tlsSocket.authorized = true;
      } else {
        tlsSocket.authorizationError = verifyError as unknown as Error;
        if (options.rejectUnauthorized) tlsSocket.destroy(verifyError);
      }
    });
  }
  return tlsSocket;
}
