/**
 * Which protocol an accepted connection speaks, on a server that serves both: over TLS, what
 * ALPN chose ("h2", else HTTP/1.1); in cleartext, whether the client's first bytes are the
 * HTTP/2 connection preface (h2c with prior knowledge, RFC 9113 3.3) or an HTTP/1 request.
 * `Upgrade: h2c` (RFC 7540 3.2, removed by RFC 9113) is not offered.
 */

import { SSLIOStream, type IOStream } from "@tornado/ioloop";

/** RFC 9113 3.4: the first 24 bytes a client sends on an HTTP/2 connection. */
export const CLIENT_PREFACE: Buffer = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

const EMPTY: Buffer = Buffer.alloc(0);

/** The outcome: the protocol, and the bytes read to decide it (to be parsed first). */
export interface NegotiatedProtocol {
  http2: boolean;
  buffered: Buffer;
}

/**
 * Waits for the TLS handshake, or reads just enough of a cleartext connection to tell the
 * preface from anything else (one packet, in practice). Resolves null when the stream closed
 * or stayed silent for `timeoutSeconds`.
 */
export async function negotiateProtocol(stream: IOStream, timeoutSeconds: number): Promise<NegotiatedProtocol | null> {
  const socket = stream.socket;
  const onTimeout = (): void => stream.close();
  socket.setTimeout(timeoutSeconds * 1000);
  socket.once("timeout", onTimeout);
  try {
    if (stream instanceof SSLIOStream) {
      await stream.waitForHandshake();
      return { http2: stream.socket.alpnProtocol === "h2", buffered: EMPTY };
    }
    return await sniffPreface(stream);
  } catch {
    // Closed (by the peer, a TLS failure the stream has logged, or the timeout).
    return null;
  } finally {
    socket.setTimeout(0);
    socket.off("timeout", onTimeout);
  }
}

async function sniffPreface(stream: IOStream): Promise<NegotiatedProtocol> {
  const pieces: Buffer[] = [];
  let length = 0;
  for (;;) {
    const piece = await stream.readBytes(CLIENT_PREFACE.length - length, true);
    pieces.push(piece);
    const matches = piece.equals(CLIENT_PREFACE.subarray(length, length + piece.length));
    length += piece.length;
    if (!matches || length === CLIENT_PREFACE.length) {
      return { http2: matches, buffered: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length) };
    }
  }
}
