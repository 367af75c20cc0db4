/**
 * The envelope every RedisBroker message travels in: binary, so that bytes pass unchanged.
 *
 *   offset 0   1 byte   format version (1)
 *   offset 1   1 byte   flags: bit 0 set = the payload is UTF-8 text, delivered as a string
 *   offset 2  16 bytes  origin: the publishing broker's id
 *   offset 18  6 bytes  sequence: the origin's count of messages on this channel (big-endian)
 *   offset 24           payload
 *
 * Anything else on the channel (another program publishing raw bytes) is not an envelope and
 * is dropped, counted in `stats.malformed`.
 */

export const ENVELOPE_VERSION = 1;
export const ORIGIN_LENGTH = 16;
export const HEADER_LENGTH = 24;
const FLAG_TEXT = 1;

/** What decodeEnvelope finds. */
export interface Envelope {
  /** The payload: a string for text, a Buffer (a copy) for bytes. */
  payload: string | Buffer;
  /** The origin's 16 bytes, as 32 hex digits. */
  origin: string;
  sequence: number;
  /** True when the origin equals `ownId`. */
  own: boolean;
}

/** Frames a payload. `origin` is the broker's 16-byte id. */
export function encodeEnvelope(origin: Buffer, sequence: number, payload: string | Uint8Array): Buffer {
  const text = typeof payload === "string";
  const length = text ? Buffer.byteLength(payload) : payload.byteLength;
  const envelope = Buffer.allocUnsafe(HEADER_LENGTH + length);
  envelope[0] = ENVELOPE_VERSION;
  envelope[1] = text ? FLAG_TEXT : 0;
  origin.copy(envelope, 2);
  envelope.writeUIntBE(sequence, 18, 6);
  if (text) envelope.write(payload, HEADER_LENGTH, "utf8");
  else envelope.set(payload, HEADER_LENGTH);
  return envelope;
}

/** Reads an envelope; null when `data` is not one (too short, unknown version or flags). */
export function decodeEnvelope(data: Buffer, ownId: Buffer): Envelope | null {
  if (data.length < HEADER_LENGTH || data[0] !== ENVELOPE_VERSION || (data[1]! & ~FLAG_TEXT) !== 0) return null;
  const payload =
    data[1] === FLAG_TEXT
      ? data.toString("utf8", HEADER_LENGTH)
      : Buffer.from(data.subarray(HEADER_LENGTH));
  return {
    payload,
    origin: data.toString("hex", 2, 2 + ORIGIN_LENGTH),
    sequence: data.readUIntBE(18, 6),
    own: ownId.compare(data, 2, 2 + ORIGIN_LENGTH) === 0,
  };
}
