import { HTTPHeaders, HTTPInputError, normalizeHeaderName } from "@tornado/httputil";

describe("HTTPHeaders (httputil_test HTTPHeadersTest)", () => {
  it("parses multi-line (obs-fold) headers", () => {
    const data = "Foo: bar\r\n baz\r\nAsdf: qwer\r\n\tzxcv\r\nFoo: even\r\n     more\r\n     lines\r\n";
    const headers = HTTPHeaders.parse(data);
    expect(headers.get("asdf")).toBe("qwer zxcv");
    expect(headers.getList("asdf")).toEqual(["qwer zxcv"]);
    expect(headers.get("Foo")).toBe("bar baz,even more lines");
    expect(headers.getList("foo")).toEqual(["bar baz", "even more lines"]);
    expect([...headers.getAll()].sort()).toEqual([
      ["Asdf", "qwer zxcv"],
      ["Foo", "bar baz"],
      ["Foo", "even more lines"],
    ]);
    expect(headers.has("asdf")).toBe(true);
    expect(headers.has("Asdf")).toBe(true);
  });

  it("joins a continuation and refuses a leading-whitespace first line or a form feed", () => {
    expect(HTTPHeaders.parse("Foo: bar\r\n\tasdf").get("Foo")).toBe("bar asdf");
    expect(() => HTTPHeaders.parse(" Foo: bar")).toThrow(HTTPInputError);
    expect(() => HTTPHeaders.parse("Foo: bar\r\n\fasdf")).toThrow(HTTPInputError);
  });

  it("accepts exactly HTAB, SP..0x7E and obs-text in values", () => {
    for (let c = 0; c < 255; c++) {
      const text = `Foo: bar${String.fromCharCode(c)}baz\r\n`;
      const ok = c === 0x09 || (c >= 0x20 && c !== 0x7f);
      if (ok) expect(HTTPHeaders.parse(text).get("foo")).toBe(`bar${String.fromCharCode(c)}baz`);
      else expect(() => HTTPHeaders.parse(text)).toThrow(HTTPInputError);
    }
  });

  it("does not treat unicode line separators as line breaks", () => {
    for (const sep of ["\u0085", "\u2028", "\u2029"]) {
      for (const encoded of [Buffer.from(sep, "utf8").toString("latin1"), sep.length === 1 && sep.charCodeAt(0) < 256 ? sep : null]) {
        if (encoded === null) continue;
        const headers = HTTPHeaders.parse(`Cookie: foo=${encoded}bar\r\n`);
        expect([...headers.allItems()]).toEqual([["Cookie", `foo=${encoded}bar`]]);
      }
    }
  });

  it("strips only SP and HTAB", () => {
    for (const [c, stripped] of [[" ", true], ["\t", true], ["\u00a0", false], ["\u0085", false]] as const) {
      const headers = HTTPHeaders.parse(`Transfer-Encoding: ${c}chunked`);
      expect(headers.get("Transfer-Encoding")).toBe(stripped ? "chunked" : `${c}chunked`);
    }
  });

  it("accepts LF but not a bare CR", () => {
    expect(() => HTTPHeaders.parse("CRLF: crlf\r\nLF: lf\nCR: cr\rMore: more\r\n")).toThrow(HTTPInputError);
    expect([...HTTPHeaders.parse("CRLF: crlf\r\nLF: lf\nMore: more\r\n").allItems()]).toEqual([
      ["Crlf", "crlf"],
      ["Lf", "lf"],
      ["More", "more"],
    ]);
  });

  it("copies deeply", () => {
    const headers = new HTTPHeaders();
    headers.add("A", "1");
    headers.add("A", "2");
    const copy = headers.copy();
    copy.add("A", "3");
    expect(headers.getList("A")).toEqual(["1", "2"]);
    expect(copy.getList("A")).toEqual(["1", "2", "3"]);
    const cloned = new HTTPHeaders(headers);
    expect([...cloned.allItems()]).toEqual([...headers.allItems()]);
  });

  it("has setdefault semantics", () => {
    const headers = new HTTPHeaders();
    headers.set("foo", "bar");
    expect(headers.setDefault("foo", "baz")).toBe("bar");
    expect(headers.get("foo")).toBe("bar");
    expect(headers.setDefault("quux", "xyzzy")).toBe("xyzzy");
    expect(headers.get("quux")).toBe("xyzzy");
    expect([...headers.keys()].sort()).toEqual(["Foo", "Quux"]);
  });

  it("round-trips through toString", () => {
    const headers = new HTTPHeaders();
    headers.add("Foo", "1");
    headers.add("Foo", "2");
    headers.add("Foo", "3");
    expect([...HTTPHeaders.parse(headers.toString()).allItems()]).toEqual([...headers.allItems()]);
  });

  it("normalizes names", () => {
    expect(normalizeHeaderName("coNtent-TYPE")).toBe("Content-Type");
    const headers = new HTTPHeaders({ "content-type": "text/html" });
    expect([...headers.keys()]).toEqual(["Content-Type"]);
  });

  it.each(["", "foo bar", "foo\tbar", "foo\nbar", "foo\x00bar", "foo ", " foo", "é"])(
    "refuses invalid name %j",
    (name) => {
      expect(() => new HTTPHeaders().add(name, "bar")).toThrow(HTTPInputError);
    },
  );

  it("adds in linear time", () => {
    // Not a timing assertion on absolute speed: 100k adds must finish (a quadratic add would not).
    const headers = new HTTPHeaders();
    for (let i = 0; i < 100000; i++) headers.add("X-Foo", String(i));
    expect(headers.getList("X-Foo")).toHaveLength(100000);
  });

  it("deletes and sets", () => {
    const headers = new HTTPHeaders([["A", "1"], ["a", "2"]]);
    expect(headers.get("A")).toBe("1,2");
    headers.set("A", "3");
    expect(headers.getList("a")).toEqual(["3"]);
    expect(headers.delete("a")).toBe(true);
    expect(headers.has("A")).toBe(false);
    expect(headers.get("missing")).toBeUndefined();
  });
});
