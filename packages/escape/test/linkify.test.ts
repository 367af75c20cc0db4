// Ported from tornado/test/escape_test.py: linkify_tests (every row, exact output).
import { linkify, type LinkifyOptions } from "@tornado/escape";

const EXTERNAL = 'rel="nofollow" class="external"';

const LINKIFY_TESTS: Array<[string, LinkifyOptions, string]> = [
  ["hello http://world.com/!", {}, 'hello <a href="http://world.com/">http://world.com/</a>!'],
  [
    "hello http://world.com/with?param=true&stuff=yes",
    {},
    'hello <a href="http://world.com/with?param=true&amp;stuff=yes">http://world.com/with?param=true&amp;stuff=yes</a>',
  ],
  // An opened paren followed by many chars killed Gruber's regex.
  [
    "http://url.com/w(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    {},
    '<a href="http://url.com/w">http://url.com/w</a>(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  ],
  // As did too many dots at the end.
  [
    "http://url.com/withmany.......................................",
    {},
    '<a href="http://url.com/withmany">http://url.com/withmany</a>.......................................',
  ],
  [
    "http://url.com/withmany((((((((((((((((((((((((((((((((((a)",
    {},
    '<a href="http://url.com/withmany">http://url.com/withmany</a>((((((((((((((((((((((((((((((((((a)',
  ],
  // Some examples from http://daringfireball.net/2009/11/liberal_regex_for_matching_urls
  ["http://foo.com/blah_blah", {}, '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>'],
  ["http://foo.com/blah_blah/", {}, '<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>'],
  [
    "(Something like http://foo.com/blah_blah)",
    {},
    '(Something like <a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>)',
  ],
  [
    "http://foo.com/blah_blah_(wikipedia)",
    {},
    '<a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>',
  ],
  [
    "http://foo.com/blah_(blah)_(wikipedia)_blah",
    {},
    '<a href="http://foo.com/blah_(blah)_(wikipedia)_blah">http://foo.com/blah_(blah)_(wikipedia)_blah</a>',
  ],
  [
    "(Something like http://foo.com/blah_blah_(wikipedia))",
    {},
    '(Something like <a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>)',
  ],
  ["http://foo.com/blah_blah.", {}, '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>.'],
  ["http://foo.com/blah_blah/.", {}, '<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>.'],
  ["<http://foo.com/blah_blah>", {}, '&lt;<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>&gt;'],
  [
    "<http://foo.com/blah_blah/>",
    {},
    '&lt;<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>&gt;',
  ],
  ["http://foo.com/blah_blah,", {}, '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>,'],
  [
    "http://www.example.com/wpstyle/?p=364.",
    {},
    '<a href="http://www.example.com/wpstyle/?p=364">http://www.example.com/wpstyle/?p=364</a>.',
  ],
  ["rdar://1234", { permittedProtocols: ["http", "rdar"] }, '<a href="rdar://1234">rdar://1234</a>'],
  ["rdar:/1234", { permittedProtocols: ["rdar"] }, '<a href="rdar:/1234">rdar:/1234</a>'],
  [
    "http://userid:password@example.com:8080",
    {},
    '<a href="http://userid:password@example.com:8080">http://userid:password@example.com:8080</a>',
  ],
  ["http://userid@example.com", {}, '<a href="http://userid@example.com">http://userid@example.com</a>'],
  [
    "http://userid@example.com:8080",
    {},
    '<a href="http://userid@example.com:8080">http://userid@example.com:8080</a>',
  ],
  [
    "http://userid:password@example.com",
    {},
    '<a href="http://userid:password@example.com">http://userid:password@example.com</a>',
  ],
  [
    "message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e",
    { permittedProtocols: ["http", "message"] },
    '<a href="message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e">' +
      "message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e</a>",
  ],
  ["http://\u27a1.ws/\u4a39", {}, '<a href="http://\u27a1.ws/\u4a39">http://\u27a1.ws/\u4a39</a>'],
  [
    "<tag>http://example.com</tag>",
    {},
    '&lt;tag&gt;<a href="http://example.com">http://example.com</a>&lt;/tag&gt;',
  ],
  ["Just a www.example.com link.", {}, 'Just a <a href="http://www.example.com">www.example.com</a> link.'],
  ["Just a www.example.com link.", { requireProtocol: true }, "Just a www.example.com link."],
  [
    "A http://reallylong.com/link/that/exceedsthelenglimit.html",
    { requireProtocol: true, shorten: true },
    'A <a href="http://reallylong.com/link/that/exceedsthelenglimit.html"' +
      ' title="http://reallylong.com/link/that/exceedsthelenglimit.html">http://reallylong.com/link...</a>',
  ],
  [
    "A http://reallylongdomainnamethatwillbetoolong.com/hi!",
    { shorten: true },
    'A <a href="http://reallylongdomainnamethatwillbetoolong.com/hi"' +
      ' title="http://reallylongdomainnamethatwillbetoolong.com/hi">http://reallylongdomainnametha...</a>!',
  ],
  [
    "A file:///passwords.txt and http://web.com link",
    {},
    'A file:///passwords.txt and <a href="http://web.com">http://web.com</a> link',
  ],
  [
    "A file:///passwords.txt and http://web.com link",
    { permittedProtocols: ["file"] },
    'A <a href="file:///passwords.txt">file:///passwords.txt</a> and http://web.com link',
  ],
  [
    "www.external-link.com",
    { extraParams: EXTERNAL },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>',
  ],
  [
    "www.external-link.com and www.internal-link.com/blogs extra",
    {
      extraParams: (href) =>
        href.startsWith("http://www.internal-link.com") ? 'class="internal"' : EXTERNAL,
    },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>' +
      ' and <a href="http://www.internal-link.com/blogs" class="internal">www.internal-link.com/blogs</a> extra',
  ],
  [
    "www.external-link.com",
    { extraParams: () => '    rel="nofollow" class="external"  ' },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>',
  ],
];

describe("linkify (escape_test.py linkify_tests)", () => {
  it.each(LINKIFY_TESTS)("%j with %j", (text, options, expected) => {
    expect(linkify(text, options)).toBe(expected);
  });

  it("follows Python's Unicode word boundary: no link inside a word", () => {
    expect(linkify("\u00e9http://a.com")).toBe("\u00e9http://a.com");
  });

  it("takes bytes", () => {
    expect(linkify(Buffer.from("see http://a.com"))).toBe('see <a href="http://a.com">http://a.com</a>');
  });

  it("names bad extraParams", () => {
    expect(() => linkify("x", { extraParams: 5 as never })).toThrow(/extraParams must be a string or a function/);
  });
});
