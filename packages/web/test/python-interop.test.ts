/**
 * Live checks against Python Tornado (Debian's python3-tornado): what this package writes,
 * Python reads the same way. Skipped, visibly, when /usr/bin/python3 cannot import tornado.
 */
import { spawnSync } from "node:child_process";
import { formatSetCookie } from "../src/set-cookie";
import { createSignedValue } from "../src/signed-value";
import { encodeXsrfToken } from "../src/xsrf-token";

const python = "/usr/bin/python3";
const hasTornado = spawnSync(python, ["-c", "import tornado.web"], { stdio: "ignore" }).status === 0;
const maybe = hasTornado ? describe : describe.skip;
if (!hasTornado) {
  describe("Python Tornado live interop", () => {
    it.skip(`skipped: ${python} cannot import tornado (install python3-tornado)`, () => undefined);
  });
}

function runPython(script: string, input: unknown): unknown {
  const result = spawnSync(python, ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

maybe("Python Tornado live interop", () => {
  it("Python's _decode_xsrf_token reads v1 and v2 tokens written here", () => {
    const token = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const values = [
      encodeXsrfToken(token, 1300000000),
      encodeXsrfToken(token, 1300000000, { mask: Buffer.from("ffffffff", "hex") }),
      encodeXsrfToken(token, 1300000000, { version: 1 }),
    ];
    const decoded = runPython(
      `
import json, sys
from tornado.web import RequestHandler
out = []
for v in json.load(sys.stdin):
    version, token, ts = RequestHandler._decode_xsrf_token(None, v)
    out.append([version, token.hex(), ts if version == 2 else None])
json.dump(out, sys.stdout)
`,
      values,
    );
    expect(decoded).toEqual([
      [2, token.toString("hex"), 1300000000],
      [2, token.toString("hex"), 1300000000],
      [1, token.toString("hex"), null],
    ]);
  });

  it("Set-Cookie headers written here parse in Python's http.cookies to the same values and attributes", () => {
    const signed = createSignedValue("secret", "session", "h\u00e9llo");
    const cases = [
      { name: "plain", value: "asdf" },
      { name: "signed", value: signed },
      { name: "quoted", value: 'a;b"c\\d,e' },
      { name: "latin1", value: "\u00e9t\u00e9" },
      { name: "empty", value: "" },
    ].map((c) => ({
      ...c,
      header: formatSetCookie(c.name, c.value, { domain: "example.com", maxAge: 60, httpOnly: true, sameSite: "Lax", secure: true }),
    }));
    const parsed = runPython(
      `
import json, sys
from http.cookies import SimpleCookie
out = []
for c in json.load(sys.stdin):
    jar = SimpleCookie()
    jar.load(c["header"])
    m = jar[c["name"]]
    out.append([m.value, m["domain"], m["max-age"], bool(m["httponly"]), m["samesite"], bool(m["secure"]), m["path"],
                m.OutputString() == c["header"]])
json.dump(out, sys.stdout)
`,
      cases,
    );
    expect(parsed).toEqual(cases.map((c) => [c.value, "example.com", "60", true, "Lax", true, "/", true]));
  });

  it("Tornado's parse_cookie reads the signed value from the quoted header and verifies it", () => {
    const signed = createSignedValue("secret", "session", "h\u00e9llo");
    const header = formatSetCookie("session", signed).split("; Path=/")[0]!; // what a browser sends back
    const result = runPython(
      `
import json, sys
from tornado.httputil import parse_cookie
from tornado.web import decode_signed_value
data = json.load(sys.stdin)
value = parse_cookie(data["header"])["session"]
json.dump([value, decode_signed_value("secret", "session", value).decode("utf-8")], sys.stdout)
`,
      { header },
    );
    expect(result).toEqual([signed, "h\u00e9llo"]);
  });
});
