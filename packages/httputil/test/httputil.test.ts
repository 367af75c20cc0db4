import {
  formatTimestamp,
  type HTTPFile,
  HTTPHeaders,
  HTTPInputError,
  parseBodyArguments,
  parseCookie,
  parseHeaderParameters,
  parseMultipartFormData,
  parseQsToArguments,
  parseRequestStartLine,
  parseResponseStartLine,
  responses,
  splitHostAndPort,
  urlConcat,
} from "@tornado/httputil";

describe("urlConcat (httputil_test TestUrlConcat)", () => {
  const yz: Array<[string, string]> = [["y", "y"], ["z", "z"]];
  it.each([
    ["https://localhost/path", yz, "https://localhost/path?y=y&z=z"],
    ["https://localhost/path", [["y", "/y"], ["z", "z"]], "https://localhost/path?y=%2Fy&z=z"],
    ["https://localhost/path?", yz, "https://localhost/path?y=y&z=z"],
    ["https://localhost/path?x", yz, "https://localhost/path?x=&y=y&z=z"],
    ["https://localhost/path?x&", yz, "https://localhost/path?x=&y=y&z=z"],
    ["https://localhost/path?a=1&b=2", yz, "https://localhost/path?a=1&b=2&y=y&z=z"],
    ["https://localhost/path?r=1&t=2", [], "https://localhost/path?r=1&t=2"],
    ["https://localhost/path?r=1&t=2", null, "https://localhost/path?r=1&t=2"],
    ["https://localhost/path#tab", [["y", "y"]], "https://localhost/path?y=y#tab"],
    ["https://localhost/path", [["y", "y1"], ["y", "y2"]], "https://localhost/path?y=y1&y=y2"],
    ["https://localhost/path?r=1&r=2", [["y", "y"]], "https://localhost/path?r=1&r=2&y=y"],
  ] as const)("%s + %j", (url, args, expected) => {
    expect(urlConcat(url, args as never)).toBe(expected);
  });
  it("takes an object and refuses other types", () => {
    expect(urlConcat("https://localhost/path", { y: "y" })).toBe("https://localhost/path?y=y");
    expect(() => urlConcat("https://localhost/path", "y=y" as never)).toThrow(TypeError);
  });
});

describe("query parsing", () => {
  it("keeps repeated and blank values (qs_to_qsl)", () => {
    const args = parseQsToArguments("a=1&b=2&a=3&c=&d");
    expect(Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v.map(String)]))).toEqual({
      a: ["1", "3"],
      b: ["2"],
      c: [""],
      d: [""],
    });
    expect(parseQsToArguments("foo=%C3%A9+x")["foo"]![0]!.toString("utf8")).toBe("é x");
  });
});

function multipart(disposition: string, body = "Foo", extra = ""): Buffer {
  return Buffer.from(`--1234\r\nContent-Disposition: ${disposition}\r\n${extra}\r\n${body}\r\n--1234--\r\n`, "utf8");
}

describe("parseMultipartFormData (httputil_test MultipartFormDataTest)", () => {
  const parse = (data: Buffer, boundary = "1234", config?: object) => {
    const args: Record<string, Buffer[]> = {};
    const files: Record<string, HTTPFile[]> = {};
    parseMultipartFormData(boundary, data, args, files, config ? { config: { multipart: config } } : undefined);
    return { args, files };
  };

  it("parses a file part, quoted or not", () => {
    for (const disposition of ['form-data; name="files"; filename="ab.txt"', "form-data; name=files; filename=ab.txt"]) {
      const { files } = parse(multipart(disposition));
      expect(files["files"]![0]!.filename).toBe("ab.txt");
      expect(files["files"]![0]!.body.toString()).toBe("Foo");
      expect(files["files"]![0]!.contentType).toBe("application/unknown");
    }
  });

  it.each(["a;b.txt", 'a"b.txt', 'a";b.txt', 'a;"b.txt', 'a";";.txt', 'a\\"b.txt', "a\\b.txt", "a b.txt", "a\tb.txt"])(
    "round-trips the quoted filename %j",
    (filename) => {
      const quoted = filename.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
      const { files } = parse(multipart(`form-data; name="files"; filename="${quoted}"`));
      expect(files["files"]![0]!.filename).toBe(filename);
    },
  );

  it.each(["a\rb.txt", "a\0b.txt", "a\x08b.txt"])("refuses the control character in %j", (filename) => {
    expect(() => parse(multipart(`form-data; name="files"; filename="${filename}"`))).toThrow(/Invalid header value/);
  });

  it("decodes RFC 5987 filename* and raw UTF-8", () => {
    expect(parse(multipart(`form-data; name="files"; filename="ab.txt"; filename*=UTF-8''%C3%A1b.txt`)).files["files"]![0]!.filename).toBe("áb.txt");
    expect(parse(multipart('form-data; name="files"; filename="测试.txt"')).files["files"]![0]!.filename).toBe("测试.txt");
  });

  it("accepts a quoted boundary", () => {
    expect(parse(multipart('form-data; name="files"; filename="ab.txt"'), '"1234"').files["files"]![0]!.filename).toBe("ab.txt");
  });

  it.each([
    ["no header block", Buffer.from("--1234\r\nFoo\r\n--1234--\r\n")],
    ["an invalid disposition", multipart('invalid; name="files"; filename="ab.txt"')],
    ["no CRLF before the boundary", Buffer.from('--1234\r\nContent-Disposition: form-data; name="files"; filename="ab.txt"\r\n\r\nFoo--1234--\r\n')],
    ["a disposition without a name", multipart('form-data; filename="ab.txt"')],
    ["no final boundary", Buffer.from('--1234\r\nContent-Disposition: form-data; name="a"\r\n\r\nFoo\r\n')],
  ])("refuses %s", (_label, data) => {
    expect(() => parse(data)).toThrow(HTTPInputError);
  });

  it("accepts data after the final boundary", () => {
    const data = Buffer.concat([multipart('form-data; name="files"; filename="ab.txt"'), Buffer.from("\r\n")]);
    expect(parse(data).files["files"]![0]!.filename).toBe("ab.txt");
  });

  it("puts parts without a filename in args, with their Content-Type ignored", () => {
    const { args, files } = parse(multipart('form-data; name="field"', "value"));
    expect(args["field"]![0]!.toString()).toBe("value");
    expect(files).toEqual({});
  });

  it("keeps a part's Content-Type", () => {
    const { files } = parse(multipart('form-data; name="f"; filename="a.png"', "x", "Content-Type: image/png\r\n"));
    expect(files["f"]![0]!.contentType).toBe("image/png");
  });

  it("parses a pathological disposition in linear time", () => {
    const data = multipart(`form-data; name="files"; filename="ab.txt"; x="${";".repeat(100000)}"`);
    expect(parse(data, "1234", { maxPartHeaderSize: 1 << 20 }).files["files"]![0]!.filename).toBe("ab.txt");
  });

  it("applies the limits", () => {
    const data = multipart('form-data; name="files"; filename="ab.txt"');
    expect(() => parse(data, "1234", { maxParts: 0 })).toThrow(/too many parts/);
    expect(() => parse(data, "1234", { maxPartHeaderSize: 10 })).toThrow(/header too large/);
    expect(() => parse(data, "1234", { enabled: false })).toThrow(/multipart\/form-data parsing is disabled/);
    expect(parse(data, "1234", {}).files["files"]).toHaveLength(1);
  });
});

describe("parseBodyArguments", () => {
  it("parses urlencoded and multipart bodies and ignores other types", () => {
    const args: Record<string, Buffer[]> = {};
    const files: Record<string, HTTPFile[]> = {};
    parseBodyArguments("application/x-www-form-urlencoded; charset=utf-8", Buffer.from("foo=&bar=1"), args, files);
    expect(args["foo"]![0]!.length).toBe(0);
    expect(args["bar"]![0]!.toString()).toBe("1");
    parseBodyArguments("multipart/form-data; boundary=1234", multipart('form-data; name="f"; filename="a"'), args, files);
    expect(files["f"]).toHaveLength(1);
    parseBodyArguments("application/json", Buffer.from("{}"), args, files);
    expect(Object.keys(args).sort()).toEqual(["bar", "foo"]);
  });

  it("refuses a Content-Encoding, a bad multipart type or a missing boundary", () => {
    const headers = new HTTPHeaders({ "Content-Encoding": "gzip" });
    expect(() => parseBodyArguments("application/x-www-form-urlencoded", Buffer.from("a=b"), {}, {}, headers)).toThrow(/Unsupported Content-Encoding/);
    expect(() => parseBodyArguments("multipart/form-data-x; boundary=1", Buffer.alloc(0), {}, {})).toThrow(/Invalid content type/);
    expect(() => parseBodyArguments("multipart/form-data", Buffer.alloc(0), {}, {})).toThrow(/boundary not found/);
  });
});

describe("formatTimestamp", () => {
  it("formats seconds and Dates as IMF-fixdate", () => {
    for (const value of [1359312200.503611, 1359312200, new Date(Date.UTC(2013, 0, 27, 18, 43, 20))]) {
      expect(formatTimestamp(value)).toBe("Sun, 27 Jan 2013 18:43:20 GMT");
    }
    expect(() => formatTimestamp(NaN)).toThrow(/timestamp/);
  });
});

describe("start lines", () => {
  it("parses a request start line", () => {
    const line = parseRequestStartLine("GET /foo HTTP/1.1");
    expect([line.method, line.path, line.version]).toEqual(["GET", "/foo", "HTTP/1.1"]);
    expect(() => parseRequestStartLine("FOO,BAR / HTTP/1.1")).toThrow(HTTPInputError);
    expect(() => parseRequestStartLine("GET /  HTTP/1.1")).toThrow(HTTPInputError);
    expect(() => parseRequestStartLine("GET / HTTP/2.0")).toThrow(HTTPInputError);
  });
  it("parses a response start line, reason optional", () => {
    const line = parseResponseStartLine("HTTP/1.1 200 OK");
    expect([line.version, line.code, line.reason]).toEqual(["HTTP/1.1", 200, "OK"]);
    expect(parseResponseStartLine("HTTP/1.1 304").reason).toBe("");
    expect(() => parseResponseStartLine("HTTP/1.1 2000 OK")).toThrow(HTTPInputError);
  });
  it("has the responses table", () => {
    expect(responses[404]).toBe("Not Found");
    expect(responses[431]).toBe("Request Header Fields Too Large");
  });
});

describe("splitHostAndPort and header parameters", () => {
  it("splits", () => {
    expect(splitHostAndPort("example.com:80")).toEqual(["example.com", 80]);
    expect(splitHostAndPort("[::1]:80")).toEqual(["[::1]", 80]);
    expect(splitHostAndPort("example.com")).toEqual(["example.com", null]);
  });
  it("parses RFC 2231 continuations", () => {
    const [key, params] = parseHeaderParameters(`attachment; filename*0*=UTF-8''%C3%A1; filename*1="b.txt"; size=3`);
    expect(key).toBe("attachment");
    expect(params).toEqual({ filename: "áb.txt", size: "3" });
    expect(parseHeaderParameters('text/html; charset="utf-8"')).toEqual(["text/html", { charset: "utf-8" }]);
  });
});

describe("parseCookie (httputil_test ParseCookieTest)", () => {
  it.each([
    ["chips=ahoy; vienna=finger", { chips: "ahoy", vienna: "finger" }],
    ['keebler="E=mc2; L=\\"Loves\\"; fudge=\\012;"', { keebler: '"E=mc2', L: '\\"Loves\\"', fudge: "\\012", "": '"' }],
    ["keebler=E=mc2", { keebler: "E=mc2" }],
    ["key:term=value:term", { "key:term": "value:term" }],
    ["a=b; c=[; d=r; f=h", { a: "b", c: "[", d: "r", f: "h" }],
    ["a=b; Domain=example.com", { a: "b", Domain: "example.com" }],
    ["a=b; h=i; a=c", { a: "c", h: "i" }],
    ['a=b; "; c=d', { a: "b", "": '"', c: "d" }],
    ["a b c=d e = f; gh=i", { "a b c": "d e = f", gh: "i" }],
    ['a   b,c<>@:/[]?{}=d  "  =e,f g', { "a   b,c<>@:/[]?{}": 'd  "  =e,f g' }],
    ["saint=André Bessette", { saint: "André Bessette" }],
    ["  =  b  ;  ;  =  ;   c  =  ;  ", { "": "b", c: "" }],
  ])("%s", (header, expected) => {
    expect({ ...parseCookie(header) }).toEqual(expected);
  });

  it("keeps the name django_language", () => {
    expect(parseCookie("abc=def; unnamed; django_language=en")["django_language"]).toBe("en");
  });

  it.each([
    ['"b=\\""', 'b="'],
    ['"b=\\\\"', "b=\\"],
    ['"b=\\="', "b=="],
    ['"b=\\n"', "b=n"],
    ['"b=\\042"', 'b="'],
    ['"b=\\134"', "b=\\"],
    ['"b=\\377"', "b=\xff"],
    ['"b=\\400"', "b=400"],
    ['"b=\\42"', "b=42"],
    ['"b=\\\\042"', "b=\\042"],
    ['"b=\\\\134"', "b=\\134"],
    ['"b=\\\\\\""', 'b=\\"'],
    ['"b=\\\\\\042"', 'b=\\"'],
    ['"b=\\134\\""', 'b=\\"'],
    ['"b=\\134\\042"', 'b=\\"'],
  ])("unquotes a=%s", (encoded, decoded) => {
    expect(parseCookie(`a=${encoded}`)["a"]).toBe(decoded);
  });

  it("unquotes long escape runs quickly", () => {
    for (const escape of ["\\\\", "\\134"]) {
      const value = parseCookie(`a="b=${escape.repeat(100000)}"`)["a"]!;
      expect(value.length).toBe(100002);
      expect(value.startsWith("b=\\")).toBe(true);
      expect(value.endsWith("\\\\\\")).toBe(true);
    }
  });
});
