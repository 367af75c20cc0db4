// Oversized and malformed input at every layer, each case on a fresh connection: the answer
// (status or WebSocket close code), the server CPU it cost (from /proc), and whether the server
// still answers a normal request afterwards. `expect` is what tornado must answer; other
// servers run the HTTP cases that apply to them and are only measured.
"use strict";
const crypto = require("node:crypto");
const zlib = require("node:zlib");
const { exchange, latencies, report } = require("./harness");

const HOST = "Host: 127.0.0.1\r\n";

function post(path, contentType, body, extra = "") {
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\n${HOST}Content-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n${extra}Connection: close\r\n\r\n`, "latin1"),
    body,
  ]);
}

function get(path, extra = "") {
  return `GET ${path} HTTP/1.1\r\n${HOST}${extra}Connection: close\r\n\r\n`;
}

/** A client WebSocket frame (masked unless `mask` is false). */
function frame(opcode, payload, { fin = true, mask = true, length } = {}) {
  const size = length ?? payload.length;
  const header = [(fin ? 0x80 : 0) | opcode];
  let extended = Buffer.alloc(0);
  if (size < 126) header.push((mask ? 0x80 : 0) | size);
  else if (size < 65536) {
    header.push((mask ? 0x80 : 0) | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(size);
  } else {
    header.push((mask ? 0x80 : 0) | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(size));
  }
  if (!mask) return Buffer.concat([Buffer.from(header), extended, payload]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(header), extended, key, masked]);
}

const UPGRADE = `GET /ws HTTP/1.1\r\n${HOST}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** The close code in the server's first close frame after the 101, or null. */
function closeCode(bytes) {
  const end = bytes.indexOf("\r\n\r\n");
  let pos = end < 0 ? bytes.length : end + 4;
  while (pos + 2 <= bytes.length) {
    const opcode = bytes[pos] & 0x0f;
    let size = bytes[pos + 1] & 0x7f;
    let offset = pos + 2;
    if (size === 126) {
      size = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (size === 127) {
      size = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 8) return size >= 2 ? bytes.readUInt16BE(offset) : 1005;
    pos = offset + size;
  }
  return null;
}

function multipart(parts, headerSize = 0) {
  const boundary = "reliability";
  const pieces = [];
  for (let i = 0; i < parts; i++) {
    pieces.push(`--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n${headerSize ? `X-Big: ${"a".repeat(headerSize)}\r\n` : ""}\r\nv\r\n`);
  }
  pieces.push(`--${boundary}--\r\n`);
  return { body: Buffer.from(pieces.join(""), "latin1"), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The cases: [name, layer, bytes (or chunks), what tornado must answer (statuses, WebSocket close
 * codes, or measureOnly), the server kinds it applies to].
 * @returns {Array<[string, string, any, { status?: number[], close?: number[], measureOnly?: boolean, timeoutMs?: number }, string[]]>}
 */
function cases() {
  const ALL = ["tornado", "node", "fastify"];
  const many = (n, make, sep) => Array.from({ length: n }, (_, i) => make(i)).join(sep);
  const bomb = zlib.gzipSync(Buffer.alloc(200 * 2 ** 20), { level: 9 });
  const bigMultipart = multipart(100000);
  const hugePartHeader = multipart(1, 100000);
  const signed = require("@tornado/web").createSignedValue("reliability-secret", "session", "alice");
  const tampered = Buffer.from(signed.toString());
  tampered[tampered.indexOf("|") + 8] ^= 1;
  return [
    ["header of 1 MB", "head", get("/", `X-Big: ${"a".repeat(2 ** 20)}\r\n`), { status: [431] }, ALL],
    ["10,000 header fields", "head", get("/", many(10000, (i) => `X-F${i}: v`, "\r\n") + "\r\n"), { status: [431] }, ALL],
    ["request line of 1 MB", "head", get(`/?${"a".repeat(2 ** 20)}`), { status: [414] }, ALL],
    ["body over maxBodySize (Content-Length 200 MiB)", "body", `POST /echo HTTP/1.1\r\n${HOST}Content-Length: ${200 * 2 ** 20}\r\n\r\n`, { status: [413] }, ALL],
    ["chunk size of 2^64-1", "framing", `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n`, { status: [400, 413] }, ALL],
    ["chunk size overflowing 64 bits", "framing", `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n1${"0".repeat(40)}\r\n`, { status: [400, 413] }, ALL],
    ["gzip bomb (200 MiB of zeros in 200 KiB) with decompressRequest", "body", post("/echo", "application/x-www-form-urlencoded", bomb, "Content-Encoding: gzip\r\n"), { status: [413] }, ["tornado"]],
    ["multipart with 100,000 parts", "arguments", post("/echo", bigMultipart.type, bigMultipart.body), { status: [413] }, ["tornado"]],
    ["multipart part header of 100 KB", "arguments", post("/echo", hugePartHeader.type, hugePartHeader.body), { status: [400, 413] }, ["tornado"]],
    ["urlencoded body with 1,000,000 fields", "arguments", post("/echo", "application/x-www-form-urlencoded", Buffer.from(many(1000000, (i) => `f${i}=1`, "&"))), { status: [413] }, ALL],
    ["query string with 1,000,000 fields", "arguments", get(`/echo?${many(1000000, () => "a=", "&")}`), { status: [414] }, ALL],
    ["query string with 2,000 fields (under the head limit)", "arguments", get(`/echo?${many(2000, (i) => `a${i}=`, "&")}`), { status: [414] }, ["tornado"]],
    ["10,000 cookies", "arguments", get("/cookie", `Cookie: ${many(10000, () => "a=1", ";")}\r\n`), { status: [403] }, ["tornado"]],
    ["JSON nested 100,000 deep", "arguments", post("/json", "application/json", Buffer.from("[".repeat(100000) + "]".repeat(100000))), { status: [200, 400] }, ["tornado"]],
    ["invalid UTF-8 in the path", "arguments", get("/%FF%FE"), { status: [404] }, ["tornado"]],
    ["invalid UTF-8 in an argument", "arguments", get("/echo?name=%FF%FE"), { status: [400] }, ["tornado"]],
    ["path traversal out of the static root", "static", get("/static/../../../../etc/passwd"), { status: [403, 404] }, ["tornado"]],
    ["encoded path traversal", "static", get("/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd"), { status: [403, 404] }, ["tornado"]],
    ["symlink out of the static root", "static", get("/static/escape.txt"), { status: [403] }, ["tornado"]],
    ["tampered signed cookie", "cookies", get("/cookie", `Cookie: session=${tampered.toString()}\r\n`), { status: [403] }, ["tornado"]],
    ["untampered signed cookie (control)", "cookies", get("/cookie", `Cookie: session=${signed.toString()}\r\n`), { status: [200] }, ["tornado"]],
    ["WebSocket frame of 2^63 bytes", "websocket", [UPGRADE, frame(2, Buffer.alloc(0), { length: 2 ** 63 - 1 })], { close: [1009, 1002] }, ["tornado", "node"]],
    ["WebSocket message over maxMessageSize", "websocket", [UPGRADE, frame(2, Buffer.alloc(100000))], { close: [1009] }, ["tornado", "node"]],
    // Answered pong by pong; what counts is that it costs little and the server goes on.
    ["WebSocket ping flood (10,000 pings)", "websocket", [UPGRADE, Buffer.concat(Array.from({ length: 10000 }, () => frame(9, Buffer.from("ping"))))], { measureOnly: true, timeoutMs: 2000 }, ["tornado", "node"]],
    ["WebSocket message in 100,000 fragments", "websocket", [UPGRADE, Buffer.concat([frame(1, Buffer.from("a"), { fin: false }), ...Array.from({ length: 99999 }, () => frame(0, Buffer.from("a"), { fin: false }))])], { close: [1008, 1009] }, ["tornado", "node"]],
    ["WebSocket text with invalid UTF-8", "websocket", [UPGRADE, frame(1, Buffer.from([0xc3, 0x28]))], { close: [1007] }, ["tornado", "node"]],
    ["WebSocket unmasked client frame", "websocket", [UPGRADE, frame(1, Buffer.from("hi"), { mask: false })], { close: [1002] }, ["tornado", "node"]],
  ];
}

/** Runs every case that applies to `server.kind`; returns one record per case. */
async function hostileInput(server) {
  const records = [];
  for (const [name, layer, data, expect, kinds] of cases()) {
    if (!kinds.includes(server.kind)) continue;
    const cpuBefore = server.cpuSeconds();
    const started = Date.now();
    const result = await exchange(server.port, data, { timeoutMs: expect.timeoutMs ?? 15000 });
    const cpu = server.cpuSeconds() - cpuBefore;
    const code = expect.close ? closeCode(result.bytes) : null;
    const health = await latencies(server.port, 1).then(
      () => true,
      () => false,
    );
    const record = {
      name,
      layer,
      status: result.status,
      closeCode: code,
      closed: result.closed,
      serverCpuSeconds: cpu,
      seconds: (Date.now() - started) / 1000,
      healthy: health,
      ok: expect.measureOnly === true || (expect.close ? expect.close.includes(code) : expect.status.includes(result.status)),
      expected: expect.measureOnly ? "any" : expect.close ? `close ${expect.close.join("|")}` : expect.status.join("|"),
    };
    report(`hostile ${server.kind} ${name}`, {
      answer: expect.close ? `close ${code}` : expect.measureOnly ? `${result.bytes.length} bytes` : result.status,
      expected: record.expected,
      serverCpuSeconds: cpu,
      healthy: health,
    });
    records.push(record);
  }
  return records;
}

module.exports = { hostileInput, cases, frame, closeCode, UPGRADE };
