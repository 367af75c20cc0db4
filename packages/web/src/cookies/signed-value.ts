/**
 * Signed values ("secure cookies"): Tornado's formats v1 and v2, byte for byte, so that a
 * value signed by Python Tornado 6 verifies here and one signed here verifies there.
 *
 * v1: `base64(value) "|" timestamp "|" hex(HMAC-SHA1(secret, name + base64 + timestamp))`.
 * v2: `"2|" f(keyVersion) "|" f(timestamp) "|" f(name) "|" f(base64) "|" hex(HMAC-SHA256(secret,
 *     everything before))`, where `f(s) = byteLength(s) ":" s`.
 */

import { createHmac, timingSafeEqual } from "node:crypto";
import { genLog } from "@tornado/ioloop";
import { SignedValueError } from "../errors";

/** Tornado: web.MIN_SUPPORTED_SIGNED_VALUE_VERSION. */
export const MIN_SUPPORTED_SIGNED_VALUE_VERSION = 1;
/** Tornado: web.MAX_SUPPORTED_SIGNED_VALUE_VERSION. */
export const MAX_SUPPORTED_SIGNED_VALUE_VERSION = 2;
/** Tornado: web.DEFAULT_SIGNED_VALUE_VERSION. */
export const DEFAULT_SIGNED_VALUE_VERSION = 2;
/** Tornado: web.DEFAULT_SIGNED_VALUE_MIN_VERSION. */
export const DEFAULT_SIGNED_VALUE_MIN_VERSION = 1;

/** One secret (a string is UTF-8 encoded). */
export type SignedValueKey = string | Buffer;
/**
 * The `cookieSecret` setting: one secret, or a map of key versions to secrets for rotation
 * (signing then needs `keyVersion`; decoding picks the key named by the value).
 */
export type SignedValueSecret =
  | SignedValueKey
  | ReadonlyMap<number, SignedValueKey>
  | Readonly<Record<number, SignedValueKey>>;

/** Options of {@link createSignedValue}. */
export interface CreateSignedValueOptions {
  /** 1 or 2; default 2 (DEFAULT_SIGNED_VALUE_VERSION). */
  version?: number;
  /** Seconds since the epoch (may be fractional); default `Date.now() / 1000`. For tests. */
  clock?: () => number;
  /** The key to sign with when `secret` is a map (required then); written into v2 values. */
  keyVersion?: number;
}

/** Options of {@link decodeSignedValue}. */
export interface DecodeSignedValueOptions {
  /** Days (fractional allowed) after which the value expires; default 31. */
  maxAgeDays?: number;
  /** Seconds since the epoch; default `Date.now() / 1000`. For tests. */
  clock?: () => number;
  /** Oldest format accepted, 1 or 2; default 1 (DEFAULT_SIGNED_VALUE_MIN_VERSION). */
  minVersion?: number;
}

const defaultClock = (): number => Date.now() / 1000;

function isSingleKey(secret: SignedValueSecret): secret is SignedValueKey {
  return typeof secret === "string" || Buffer.isBuffer(secret);
}

function lookupKey(secret: SignedValueSecret, keyVersion: number): SignedValueKey | undefined {
  if (isSingleKey(secret)) return secret;
  if (secret instanceof Map) return (secret as ReadonlyMap<number, SignedValueKey>).get(keyVersion);
  const record = secret as Readonly<Record<number, SignedValueKey>>;
  return Object.prototype.hasOwnProperty.call(record, keyVersion) ? record[keyVersion] : undefined;
}

function checkSecret(secret: unknown): asserts secret is SignedValueSecret {
  if (typeof secret === "string" || Buffer.isBuffer(secret)) return;
  if (secret !== null && typeof secret === "object") return;
  throw new SignedValueError(
    `cookie secret must be a string, a Buffer or a map of key versions, got ${typeof secret}`,
  );
}

function toBytes(value: string | Buffer): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : value;
}

function signatureV1(secret: SignedValueKey, ...parts: Buffer[]): Buffer {
  const hmac = createHmac("sha1", toBytes(secret));
  for (const part of parts) hmac.update(part);
  return Buffer.from(hmac.digest("hex"), "latin1");
}

/** Constant-time comparison; different lengths are unequal (Tornado: hmac.compare_digest). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(b, b); // spend comparable time regardless
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Signs and timestamps `value` so that it cannot be forged. Returns ASCII text.
 * A string value is UTF-8 encoded; decoding gives back the bytes.
 * Tornado: web.create_signed_value(secret, name, value, version, clock, key_version).
 */
export function createSignedValue(
  secret: SignedValueSecret,
  name: string,
  value: string | Buffer,
  options: CreateSignedValueOptions = {},
): string {
  checkSecret(secret);
  if (typeof name !== "string") throw new SignedValueError(`name must be a string, got ${typeof name}`);
  if (typeof value !== "string" && !Buffer.isBuffer(value)) {
    throw new SignedValueError(`value must be a string or a Buffer, got ${typeof value}`);
  }
  const version = options.version ?? DEFAULT_SIGNED_VALUE_VERSION;
  const now = (options.clock ?? defaultClock)();
  if (!Number.isFinite(now)) throw new SignedValueError(`clock must return finite seconds, got ${now}`);
  const timestamp = Buffer.from(String(Math.trunc(now)), "latin1");
  const encoded = Buffer.from(toBytes(value).toString("base64"), "latin1");
  if (version === 1) {
    if (!isSingleKey(secret)) {
      throw new SignedValueError("version 1 signed values cannot be used with a map of key versions");
    }
    const signature = signatureV1(secret, Buffer.from(name, "utf8"), encoded, timestamp);
    return `${encoded.toString("latin1")}|${timestamp.toString("latin1")}|${signature.toString("latin1")}`;
  }
  if (version !== 2) throw new SignedValueError(`Unsupported signed value version ${version}`);
  const keyVersion = options.keyVersion;
  if (keyVersion !== undefined && (!Number.isSafeInteger(keyVersion) || keyVersion < 0)) {
    throw new SignedValueError(`keyVersion must be a non-negative integer, got ${keyVersion}`);
  }
  let key: SignedValueKey | undefined;
  if (isSingleKey(secret)) {
    key = secret;
  } else {
    if (keyVersion === undefined) {
      throw new SignedValueError("keyVersion must be set when the secret is a map of key versions");
    }
    key = lookupKey(secret, keyVersion);
    if (key === undefined) throw new SignedValueError(`no secret for key version ${keyVersion}`);
  }
  // Every field but the name is ASCII; lengths are in bytes, as Tornado counts them.
  const kv = String(keyVersion ?? 0);
  const ts = timestamp.toString("latin1");
  const b64 = encoded.toString("latin1");
  const toSign = `2|${kv.length}:${kv}|${ts.length}:${ts}|${Buffer.byteLength(name, "utf8")}:${name}|${b64.length}:${b64}|`;
  return toSign + createHmac("sha256", toBytes(key)).update(toSign, "utf8").digest("hex");
}

// Python's `^([1-9][0-9]*)\|(.*)$` (no DOTALL: `.` stops at "\n"; `$` may precede a final "\n").
const VERSION_RE = /^([1-9][0-9]*)\|[^\n]*\n?$/;

function getVersion(latin1: string): number {
  const match = VERSION_RE.exec(latin1);
  if (match === null) return 1;
  const version = Number(match[1]);
  // Base64 payloads of v1 values may look numeric (only in lengths of 4n), hence the cap.
  return version > 999 ? 1 : version;
}

interface FieldsV2 {
  keyVersion: number;
  timestamp: string;
  name: string;
  value: string;
  signature: string;
}

const DIGITS_RE = /^[0-9]+$/;
const ASCII_RE = /^[\x00-\x7f]*$/;

/** The bytes of a value as a latin-1 string (one character per byte). */
function toLatin1(value: string | Buffer): string {
  if (typeof value !== "string") return value.toString("latin1");
  return ASCII_RE.test(value) ? value : Buffer.from(value, "utf8").toString("latin1");
}

function decodeFieldsV2(latin1: string): FieldsV2 | null {
  let rest = latin1.slice(2);
  const fields: string[] = [];
  for (let i = 0; i < 4; i++) {
    const colon = rest.indexOf(":");
    if (colon < 0) return null;
    const lengthText = rest.slice(0, colon);
    if (!DIGITS_RE.test(lengthText)) return null;
    const length = Number(lengthText);
    const start = colon + 1;
    if (rest.charAt(start + length) !== "|") return null;
    fields.push(rest.slice(start, start + length));
    rest = rest.slice(start + length + 1);
  }
  if (!DIGITS_RE.test(fields[0]!) || !DIGITS_RE.test(fields[1]!)) return null;
  return {
    keyVersion: Number(fields[0]),
    timestamp: fields[1]!,
    name: fields[2]!,
    value: fields[3]!,
    signature: rest,
  };
}

const CLEAN_BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(latin1: string): Buffer | null {
  if (CLEAN_BASE64_RE.test(latin1)) return Buffer.from(latin1, "base64");
  // Python's b64decode (validate=False) drops characters outside the alphabet and requires
  // correct padding of what remains.
  const cleaned = latin1.replace(/[^A-Za-z0-9+/=]/g, "");
  const unpadded = cleaned.replace(/=+$/, "");
  if (unpadded.includes("=") || unpadded.length % 4 === 1) return null;
  if (cleaned.length % 4 !== 0) return null;
  return Buffer.from(cleaned, "base64");
}

function decodeV1(
  secret: SignedValueKey,
  name: string,
  latin1: string,
  maxAgeDays: number,
  clock: () => number,
): Buffer | null {
  const parts = latin1.split("|");
  if (parts.length !== 3) return null;
  const [payload, timestampText, passed] = parts as [string, string, string];
  const expected = signatureV1(
    secret,
    Buffer.from(name, "utf8"),
    Buffer.from(payload, "latin1"),
    Buffer.from(timestampText, "latin1"),
  );
  if (!constantTimeEqual(Buffer.from(passed, "latin1"), expected)) {
    genLog.warning(`Invalid cookie signature ${JSON.stringify(latin1)}`);
    return null;
  }
  if (!DIGITS_RE.test(timestampText)) return null;
  const timestamp = Number(timestampText);
  if (timestamp < clock() - maxAgeDays * 86400) {
    genLog.warning(`Expired cookie ${JSON.stringify(latin1)}`);
    return null;
  }
  // The v1 MAC has no delimiters, so digits can move from the payload into the timestamp
  // without changing it: refuse far-future and zero-padded timestamps.
  if (timestamp > clock() + 31 * 86400) {
    genLog.warning(`Cookie timestamp in future; possible tampering ${JSON.stringify(latin1)}`);
    return null;
  }
  if (timestampText.startsWith("0")) {
    genLog.warning(`Tampered cookie ${JSON.stringify(latin1)}`);
    return null;
  }
  return decodeBase64(payload);
}

function decodeV2(
  secret: SignedValueSecret,
  name: string,
  latin1: string,
  maxAgeDays: number,
  clock: () => number,
): Buffer | null {
  const fields = decodeFieldsV2(latin1);
  if (fields === null) return null;
  const signed = latin1.slice(0, latin1.length - fields.signature.length);
  const key = lookupKey(secret, fields.keyVersion);
  if (key === undefined) return null;
  const expected = createHmac("sha256", toBytes(key)).update(signed, "latin1").digest("hex");
  if (!constantTimeEqual(Buffer.from(fields.signature, "latin1"), Buffer.from(expected, "latin1"))) return null;
  const nameMatches = ASCII_RE.test(name)
    ? fields.name === name
    : Buffer.from(fields.name, "latin1").equals(Buffer.from(name, "utf8"));
  if (!nameMatches) return null;
  // No future-timestamp check in v2, as in Tornado: the length prefixes make shifting impossible.
  if (Number(fields.timestamp) < clock() - maxAgeDays * 86400) return null;
  return decodeBase64(fields.value);
}

/**
 * Verifies a value made by {@link createSignedValue} (here or by Python Tornado) and returns
 * its bytes, or null when it is missing, malformed, forged, for another name, expired, or
 * older than `minVersion`. Never throws for bad input; a v1 value with a map of secrets is
 * null (Tornado asserts there).
 * Tornado: web.decode_signed_value(secret, name, value, max_age_days, clock, min_version).
 */
export function decodeSignedValue(
  secret: SignedValueSecret,
  name: string,
  value: string | Buffer | null | undefined,
  options: DecodeSignedValueOptions = {},
): Buffer | null {
  checkSecret(secret);
  const minVersion = options.minVersion ?? DEFAULT_SIGNED_VALUE_MIN_VERSION;
  if (minVersion > MAX_SUPPORTED_SIGNED_VALUE_VERSION) {
    throw new SignedValueError(`Unsupported minVersion ${minVersion}`);
  }
  const maxAgeDays = options.maxAgeDays ?? 31;
  if (typeof maxAgeDays !== "number" || Number.isNaN(maxAgeDays)) {
    throw new SignedValueError(`maxAgeDays must be a number of days, got ${String(maxAgeDays)}`);
  }
  if (value === null || value === undefined || value.length === 0) return null;
  const latin1 = toLatin1(value);
  const version = getVersion(latin1);
  if (version < minVersion) return null;
  const clock = options.clock ?? defaultClock;
  if (version === 1) {
    if (!isSingleKey(secret)) return null;
    return decodeV1(secret, name, latin1, maxAgeDays, clock);
  }
  if (version === 2) return decodeV2(secret, name, latin1, maxAgeDays, clock);
  return null;
}

/**
 * The key version a v2 signed value names, or null for v1 values and unparsable input.
 * Tornado: web.get_signature_key_version.
 */
export function getSignatureKeyVersion(value: string | Buffer): number | null {
  const latin1 = toLatin1(value);
  if (getVersion(latin1) < 2) return null;
  const fields = decodeFieldsV2(latin1);
  return fields === null ? null : fields.keyVersion;
}
