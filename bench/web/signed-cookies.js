// Signed-cookie and XSRF cost in-process, side by side with Python Tornado's own functions
// (the same secret, name, value and format): createSignedValue / decodeSignedValue (v2) and
// an XSRF token round trip. Medians of rounds; microseconds per operation.
// Usage: node bench/web/signed-cookies.js [--rounds 5] (needs built packages; Python part
// skipped when /usr/bin/python3 cannot import tornado).
"use strict";
const { spawnSync } = require("node:child_process");
const { createSignedValue, decodeSignedValue, encodeXsrfToken, decodeXsrfToken } = require("@tornado/web");

const index = process.argv.indexOf("--rounds");
const ROUNDS = index === -1 ? 5 : Number(process.argv[index + 1]);
const N = 50000;
const SECRET = "It's a secret to everybody";
const VALUE = JSON.stringify({ id: 42, name: "Ada Lovelace", roles: ["admin"] });
const signed = createSignedValue(SECRET, "session", VALUE);
const token = Buffer.alloc(16, 7);

function time(fn) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - started) / N / 1000;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cases = {
  create: () => createSignedValue(SECRET, "session", VALUE),
  decode: () => decodeSignedValue(SECRET, "session", signed),
  xsrf: () => decodeXsrfToken(encodeXsrfToken(token, 1300000000)),
};
const ours = {};
for (const [name, fn] of Object.entries(cases)) {
  time(fn);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(time(fn));
  ours[name] = median(rounds);
}

const PYTHON = `
import json, os, sys, timeit
from tornado.web import create_signed_value, decode_signed_value, RequestHandler
from tornado.util import _websocket_mask
import binascii
secret, value, rounds, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
signed = create_signed_value(secret, "session", value)
token = bytes([7] * 16)
def xsrf():
    mask = os.urandom(4)
    t = b"|".join([b"2", binascii.b2a_hex(mask), binascii.b2a_hex(_websocket_mask(mask, token)), b"1300000000"])
    RequestHandler._decode_xsrf_token(None, t.decode())
cases = {
    "create": lambda: create_signed_value(secret, "session", value),
    "decode": lambda: decode_signed_value(secret, "session", signed),
    "xsrf": xsrf,
}
out = {}
for name, fn in cases.items():
    times = sorted(timeit.repeat(fn, number=n, repeat=rounds))
    out[name] = times[len(times) // 2] / n * 1e6
json.dump(out, sys.stdout)
`;
let python = null;
const result = spawnSync("/usr/bin/python3", ["-c", PYTHON, SECRET, VALUE, String(ROUNDS), String(N / 5)], { encoding: "utf8" });
if (result.status === 0) python = JSON.parse(result.stdout);
else console.log(`Python Tornado skipped: ${(result.stderr || "python3 not runnable").split("\n").slice(-2).join(" ")}`);

console.log("operation                 @tornado/web µs/op   Python Tornado µs/op");
for (const name of Object.keys(cases)) {
  const label = { create: "createSignedValue (v2)", decode: "decodeSignedValue (v2)", xsrf: "XSRF token encode+decode" }[name];
  const py = python ? python[name].toFixed(2) : "n/a";
  console.log(`${label.padEnd(26)}${ours[name].toFixed(2).padStart(18)}${py.padStart(23)}`);
}
