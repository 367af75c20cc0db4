import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeXsrfToken,
  encodeXsrfToken,
  rawXsrfToken,
  websocketMask,
  xsrfCheckFailure,
  xsrfFormHtml,
} from "../../src/cookies/xsrf-token";

const CLOCK = 1300000000;
const clock = () => CLOCK;

interface XsrfFixtures {
  xsrf: {
    tokens: { tokenHex: string; maskHex: string; version: number; clock: number; xsrfToken: string; setCookie: string }[];
    decodes: { input: string; version: number | null; tokenHex: string | null; timestamp: number | null }[];
  };
}
const fixtures = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "signed-fixtures.json"), "utf8"),
) as XsrfFixtures;

describe("XSRF token format", () => {
  it("the reference vector", () => {
    const token = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
    const mask = Buffer.from("01020304", "hex");
    expect(encodeXsrfToken(token, CLOCK, { mask })).toBe("2|01020304|0103010705070503090b090f0d0f0d0b|1300000000");
    expect(encodeXsrfToken(token, CLOCK, { version: 1 })).toBe("000102030405060708090a0b0c0d0e0f");
  });

  it.each(fixtures.xsrf.tokens.map((t) => [`v${t.version} ${t.xsrfToken}`, t]))(
    "writes what Python's RequestHandler.xsrf_token wrote: %s",
    (_label, t) => {
      const entry = t as XsrfFixtures["xsrf"]["tokens"][number];
      const ours = encodeXsrfToken(Buffer.from(entry.tokenHex, "hex"), entry.clock, {
        version: entry.version,
        mask: Buffer.from(entry.maskHex, "hex"),
      });
      expect(ours).toBe(entry.xsrfToken);
      expect(entry.setCookie).toBe(`_xsrf=${ours}; Path=/`);
    },
  );

  it.each(fixtures.xsrf.decodes.map((d) => [JSON.stringify(d.input), d]))(
    "reads %s as Python's _decode_xsrf_token does",
    (_label, d) => {
      const entry = d as XsrfFixtures["xsrf"]["decodes"][number];
      const decoded = decodeXsrfToken(entry.input, clock);
      expect(
        decoded === null
          ? { version: null, tokenHex: null, timestamp: null }
          : { version: decoded.version, tokenHex: decoded.token.toString("hex"), timestamp: decoded.timestamp },
      ).toEqual({ version: entry.version, tokenHex: entry.tokenHex, timestamp: entry.timestamp });
    },
  );

  it("masks differ per call, so page text differs every time", () => {
    const token = Buffer.alloc(16, 7);
    const seen = new Set(Array.from({ length: 10 }, () => encodeXsrfToken(token, CLOCK)));
    expect(seen.size).toBe(10);
    for (const text of seen) expect(decodeXsrfToken(text)!.token).toEqual(token);
  });

  it("websocketMask cycles a 4-byte key", () => {
    expect(websocketMask(Buffer.from([1, 2, 3, 4]), Buffer.from([0, 0, 0, 0, 0, 0]))).toEqual(
      Buffer.from([1, 2, 3, 4, 1, 2]),
    );
  });

  it("refuses bad versions and masks when writing", () => {
    expect(() => encodeXsrfToken(Buffer.alloc(16), CLOCK, { version: 3 })).toThrow(/unknown xsrf cookie version 3/);
    expect(() => encodeXsrfToken(Buffer.alloc(16), CLOCK, { mask: Buffer.alloc(2) })).toThrow(/mask must be 4 bytes/);
  });
});

describe("XSRFTest (web_test.py), as pure checks", () => {
  const fresh = () => rawXsrfToken(undefined);

  it("no token submitted → missing", () => {
    expect(xsrfCheckFailure(undefined, fresh().token)).toBe("'_xsrf' argument missing from POST");
    expect(xsrfCheckFailure("", fresh().token)).toMatch(/argument missing/);
  });

  it("a token without its cookie → does not match (the expected token is freshly made)", () => {
    const { token } = fresh();
    const submitted = encodeXsrfToken(token, CLOCK);
    const expected = rawXsrfToken(undefined).token;
    expect(xsrfCheckFailure(submitted, expected)).toBe("XSRF cookie does not match POST argument");
  });

  it("an undecodable token → invalid format", () => {
    expect(xsrfCheckFailure("3|", fresh().token)).toBe("'_xsrf' argument has invalid format");
    expect(xsrfCheckFailure("2|01020304||5", fresh().token)).toMatch(/invalid format/);
  });

  it("an undecodable cookie means a new token, hence a mismatch", () => {
    const raw = rawXsrfToken("3|");
    expect(raw.fromCookie).toBe(false);
    expect(xsrfCheckFailure(encodeXsrfToken(Buffer.alloc(16), CLOCK), raw.token)).toMatch(/does not match/);
  });

  it("cookie = body = deadbeef, and non-hex xoxo, are accepted", () => {
    for (const value of ["deadbeef", "xoxo"]) {
      const raw = rawXsrfToken(value);
      expect(raw.fromCookie).toBe(true);
      expect(xsrfCheckFailure(value, raw.token)).toBeNull();
    }
  });

  it("two independent tokens validate with their own cookie only", () => {
    const a = fresh();
    const b = fresh();
    const ta = encodeXsrfToken(a.token, a.timestamp);
    const tb = encodeXsrfToken(b.token, b.timestamp);
    expect(xsrfCheckFailure(ta, rawXsrfToken(ta).token)).toBeNull();
    expect(xsrfCheckFailure(tb, rawXsrfToken(tb).token)).toBeNull();
    expect(xsrfCheckFailure(ta, rawXsrfToken(tb).token)).toMatch(/does not match/);
  });

  it("refreshing re-masks the same token; each refreshed form validates the original", () => {
    const first = fresh();
    const original = encodeXsrfToken(first.token, first.timestamp);
    const seen = new Set([original]);
    let cookie = original;
    for (let i = 0; i < 5; i++) {
      const raw = rawXsrfToken(cookie);
      expect(raw.timestamp).toBe(Math.trunc(first.timestamp)); // preserved from the cookie
      cookie = encodeXsrfToken(raw.token, raw.timestamp);
      seen.add(cookie);
      expect(xsrfCheckFailure(original, rawXsrfToken(cookie).token)).toBeNull();
    }
    expect(seen.size).toBe(6);
  });

  it("v1 and v2 forms of one token are interchangeable, either way", () => {
    const { token } = fresh();
    const v1 = encodeXsrfToken(token, CLOCK, { version: 1 });
    const v2 = encodeXsrfToken(token, CLOCK, { version: 2 });
    expect(v1).not.toBe(v2);
    expect(xsrfCheckFailure(v2, rawXsrfToken(v1).token)).toBeNull();
    expect(xsrfCheckFailure(v1, rawXsrfToken(v2).token)).toBeNull();
    // A v1 cookie re-encoded as v1 is unchanged.
    expect(encodeXsrfToken(rawXsrfToken(v1).token, CLOCK, { version: 1 })).toBe(v1);
  });

  it("xsrfFormHtml escapes the token", () => {
    expect(xsrfFormHtml("2|01020304|ab|5")).toBe('<input type="hidden" name="_xsrf" value="2|01020304|ab|5"/>');
    expect(xsrfFormHtml('a"<b')).toBe('<input type="hidden" name="_xsrf" value="a&quot;&lt;b"/>');
  });
});
