import {
  DEFAULT_PARSE_BODY_CONFIG,
  HTTPTooManyArgumentsError,
  parseBodyArguments,
  parseQsBytes,
  parseQsToArguments,
  resolveParseBodyConfig,
} from "@tornado/httputil";

const strings = (pairs: Array<[string, Buffer]>) => pairs.map(([name, value]) => [name, value.toString("latin1")]);

describe("parseQsBytes", () => {
  it("decodes escapes and + in names and values, keeps blank values, skips empty segments", () => {
    expect(strings(parseQsBytes("a%20b=c+d&&e&f=&%41=%4"))).toEqual([
      ["a b", "c d"],
      ["e", ""],
      ["f", ""],
      ["A", "%4"],
    ]);
    expect(strings(parseQsBytes("e&f=&g=1", { keepBlankValues: false }))).toEqual([["g", "1"]]);
    expect(strings(parseQsBytes("a=1=2&b%3D=x%26y"))).toEqual([
      ["a", "1=2"],
      ["b=", "x&y"],
    ]);
  });

  it("hands out unescaped values as views of the input", () => {
    const body = Buffer.from("a=plain&b=es%41caped");
    const [[, plain], [, escaped]] = parseQsBytes(body) as [[string, Buffer], [string, Buffer]];
    expect(plain.buffer).toBe(body.buffer);
    expect(escaped.toString()).toBe("esAcaped");
  });

  it("counts every segment against maxArguments, as Python's max_num_fields", () => {
    expect(parseQsBytes("a&b&c", { maxArguments: 3 })).toHaveLength(3);
    expect(() => parseQsBytes("a&b&c&", { maxArguments: 3 })).toThrow(HTTPTooManyArgumentsError);
    const error = (() => {
      try {
        parseQsBytes("&".repeat(10_000_000), { maxArguments: 1000, source: "query" });
      } catch (caught) {
        return caught as HTTPTooManyArgumentsError;
      }
    })();
    expect([error?.statusCode, error?.limit, error?.message]).toEqual([414, 1000, "Too many arguments in the query string: more than 1000 fields"]);
  });

  it("keeps names such as toString and __proto__ as plain keys of any target", () => {
    const into: Record<string, Buffer[]> = {};
    parseQsToArguments("toString=1&__proto__=2&constructor=3", into);
    expect(Object.keys(into)).toEqual(["toString", "__proto__", "constructor"]);
    expect(Object.getPrototypeOf(into)).toBe(Object.prototype);
    expect(into["__proto__"]!.map(String)).toEqual(["2"]);
  });
});

describe("parse body config", () => {
  it("fills in Tornado's defaults and checks the limits", () => {
    expect(resolveParseBodyConfig()).toBe(DEFAULT_PARSE_BODY_CONFIG);
    expect(DEFAULT_PARSE_BODY_CONFIG).toEqual({ multipart: { enabled: true, maxParts: 100, maxPartHeaderSize: 10240 }, urlencoded: { maxArguments: 1000 } });
    const resolved = resolveParseBodyConfig({ urlencoded: { maxArguments: Infinity } });
    expect(resolved).toEqual({ multipart: DEFAULT_PARSE_BODY_CONFIG.multipart, urlencoded: { maxArguments: Infinity } });
    expect(resolveParseBodyConfig(resolved)).toBe(resolved);
    expect(() => resolveParseBodyConfig({ urlencoded: { maxArguments: -1 } })).toThrow(/urlencoded.maxArguments must be a non-negative integer of fields, got -1/);
    expect(() => resolveParseBodyConfig({ multipart: { maxParts: 1.5 } })).toThrow(RangeError);
  });

  it("applies urlencoded.maxArguments to bodies (413) and leaves the arguments untouched", () => {
    const args: Record<string, Buffer[]> = {};
    const body = Buffer.from("a=1&a=2&a=3");
    expect(() => parseBodyArguments("application/x-www-form-urlencoded", body, args, {}, null, { config: { urlencoded: { maxArguments: 2 } } })).toThrow(
      expect.objectContaining({ statusCode: 413, limit: 2 }),
    );
    expect(args).toEqual({});
    parseBodyArguments("application/x-www-form-urlencoded", body, args, {}, null, { config: { urlencoded: { maxArguments: 3 } } });
    expect(args["a"]!.map(String)).toEqual(["1", "2", "3"]);
  });
});
