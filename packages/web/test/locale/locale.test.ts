import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setLogHandler, type LogRecord } from "@tornado/ioloop";
import {
  catalogFor,
  getSupportedLocales,
  loadGettextTranslations,
  loadTranslations,
  parseCsvTranslations,
  resetTranslations,
  setDefaultLocale,
} from "../../src/locale/translations";
import { formatDate, formatDay, formatList, formatNamed, friendlyNumber } from "../../src/locale/locale-format";
import { LOCALE_NAMES } from "../../src/locale/locale-names";
import { parseCsv } from "../../src/locale/csv-reader";
import { compilePluralExpression } from "../../src/locale/gettext-catalog";
import { LocaleError } from "../../src/errors";
import { Locale } from "../../src/locale/locale";

const fixturesDir = join(__dirname, "..", "fixtures");
const localeOf = (code: string) => {
  const catalog = catalogFor(code);
  return { code, translate: catalog.translate.bind(catalog), pgettext: catalog.pgettext.bind(catalog) };
};

const logs: LogRecord[] = [];
let previous: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  previous = setLogHandler((record) => logs.push(record));
});
afterAll(() => setLogHandler(previous));
afterEach(() => resetTranslations());

describe("TranslationLoaderTest (locale_test.py)", () => {
  it("csv", () => {
    loadTranslations(join(fixturesDir, "csv_translations"));
    expect([...getSupportedLocales()].sort()).toEqual(["en_US", "fr_FR"]);
    expect(localeOf("fr_FR").translate("school")).toBe("\u00e9cole");
  });

  it("csv with a BOM: utf-8-sig and utf-16", () => {
    const text = readFileSync(join(fixturesDir, "csv_translations", "fr_FR.csv"), "utf8");
    const encodings: [string, Buffer][] = [
      ["utf-8-sig", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])],
      ["utf-16 (LE with BOM)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
      ["utf-16 (BE with BOM)", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])],
    ];
    for (const [, data] of encodings) {
      const dir = mkdtempSync(join(tmpdir(), "tornado-locale-"));
      try {
        writeFileSync(join(dir, "fr_FR.csv"), data);
        loadTranslations(dir);
        expect(localeOf("fr_FR").translate("school")).toBe("\u00e9cole");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("gettext, with pgettext and plurals", () => {
    loadGettextTranslations(join(fixturesDir, "gettext_translations"), "tornado_test");
    const locale = localeOf("fr_FR");
    expect(locale.translate("school")).toBe("\u00e9cole");
    expect(locale.pgettext("law", "right")).toBe("le droit");
    expect(locale.pgettext("good", "right")).toBe("le bien");
    expect(locale.pgettext("organization", "club", "clubs", 1)).toBe("le club");
    expect(locale.pgettext("organization", "club", "clubs", 2)).toBe("les clubs");
    expect(locale.pgettext("stick", "club", "clubs", 1)).toBe("le b\u00e2ton");
    expect(locale.pgettext("stick", "club", "clubs", 2)).toBe("les b\u00e2tons");
    // Not found: falls back to the message without context, then the untranslated text.
    expect(locale.pgettext("nothing", "school")).toBe("school");
    expect(locale.translate("apple", "apples", 1)).toBe("apple");
    expect(locale.translate("apple", "apples", 3)).toBe("apples");
  });

  it("plural rows and unknown indicators in CSV", () => {
    logs.length = 0;
    const catalog = parseCsvTranslations(
      [
        '"I love you","Te amo"',
        '"%(name)s liked this","A %(name)s les gustó esto","plural"',
        '"%(name)s liked this","A %(name)s le gustó esto","singular"',
        '"bad","row","dual"',
        '"only one column"',
        "",
      ].join("\r\n"),
      "es_LA.csv",
    );
    expect(catalog.translate("I love you")).toBe("Te amo");
    expect(catalog.translate("%(name)s liked this", "%(name)s liked this", 1)).toBe("A %(name)s le gustó esto");
    expect(catalog.translate("%(name)s liked this", "%(name)s liked this", 2)).toBe("A %(name)s les gustó esto");
    expect(catalog.translate("bad")).toBe("bad");
    expect(logs.some((r) => r.message === "Unrecognized plural indicator 'dual' in es_LA.csv line 4")).toBe(true);
    expect(() => catalog.translate("a", "b")).toThrow(LocaleError);
    // pgettext is not supported by CSV catalogs: a warning, then translate.
    logs.length = 0;
    expect(catalog.pgettext("ctx", "I love you")).toBe("Te amo");
    expect(logs.some((r) => r.message === "pgettext is not supported by CSVLocale")).toBe(true);
  });

  it("unrecognised file names are logged and skipped; the default locale is always supported", () => {
    const dir = mkdtempSync(join(tmpdir(), "tornado-locale-"));
    try {
      writeFileSync(join(dir, "es_LA.csv"), '"yes","sí"\n');
      writeFileSync(join(dir, "Bad-Name.csv"), '"yes","no"\n');
      writeFileSync(join(dir, "notes.txt"), "ignored");
      logs.length = 0;
      loadTranslations(dir);
      expect([...getSupportedLocales()].sort()).toEqual(["en_US", "es_LA"]);
      expect(logs.some((r) => r.message.startsWith("Unrecognized locale 'Bad-Name'"))).toBe(true);
      setDefaultLocale("pt_BR");
      expect([...getSupportedLocales()].sort()).toEqual(["es_LA", "pt_BR"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => loadTranslations(join(dir, "missing"))).toThrow(/cannot read translation directory/);
  });
});

describe("LocaleDataTest (locale_test.py)", () => {
  it("non-ascii name", () => {
    expect(LOCALE_NAMES["es_LA"]!.name).toBe("Espa\u00f1ol");
    expect(Buffer.from(LOCALE_NAMES["es_LA"]!.name)).toEqual(Buffer.from("Espa\xc3\xb1ol", "latin1"));
  });
});

describe("EnglishTest (locale_test.py)", () => {
  const en = () => localeOf("en_US");

  it("format_date", () => {
    const date = new Date(Date.UTC(2013, 3, 28, 18, 35));
    expect(formatDate(en(), date, { fullFormat: true })).toBe("April 28, 2013 at 6:35 pm");
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(formatDate(en(), ago(2000), { now })).toBe("2 seconds ago");
    expect(formatDate(en(), ago(2 * 60000), { now })).toBe("2 minutes ago");
    expect(formatDate(en(), ago(2 * 3600000), { now })).toBe("2 hours ago");
    expect(formatDate(en(), ago(86400000), { now, shorter: true })).toBe("yesterday");
    const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    const twoDays = ago(2 * 86400000);
    expect(formatDate(en(), twoDays, { now, shorter: true })).toBe(weekdays[twoDays.getUTCDay()]);
    const d300 = ago(300 * 86400000);
    expect(formatDate(en(), d300, { now, shorter: true })).toBe(`${months[d300.getUTCMonth()]} ${d300.getUTCDate()}`);
    const d500 = ago(500 * 86400000);
    expect(formatDate(en(), d500, { now, shorter: true })).toBe(
      `${months[d500.getUTCMonth()]} ${d500.getUTCDate()}, ${d500.getUTCFullYear()}`,
    );
    // Seconds since the epoch are accepted too.
    expect(formatDate(en(), date.getTime() / 1000, { fullFormat: true })).toBe("April 28, 2013 at 6:35 pm");
  });

  it("friendly_number", () => {
    expect(friendlyNumber(en(), 1000000)).toBe("1,000,000");
    expect(friendlyNumber(en(), -1234567.5)).toBe("-1,234,567.5");
    expect(friendlyNumber(localeOf("fr_FR"), 1000000)).toBe("1000000");
  });

  it("list", () => {
    expect(formatList(en(), [])).toBe("");
    expect(formatList(en(), ["A"])).toBe("A");
    expect(formatList(en(), ["A", "B"])).toBe("A and B");
    expect(formatList(en(), ["A", "B", "C"])).toBe("A, B and C");
  });

  it("format_day", () => {
    const date = new Date(Date.UTC(2013, 3, 28, 18, 35));
    expect(formatDay(en(), date, { dow: true })).toBe("Sunday, April 28");
    expect(formatDay(en(), date, { dow: false })).toBe("April 28");
  });
});

interface LocaleFixtures {
  tornadoVersion: string;
  formatDate: { code: string; now: string; date: string; options: Record<string, number | boolean>; result: string }[];
  formatDay: { code: string; date: string; gmtOffset: number; dow: boolean; result: string }[];
  list: { code: string; parts: string[]; result: string }[];
  friendlyNumber: { code: string; value: number; result: string }[];
  names: Record<string, string>;
}
const fixtures = JSON.parse(readFileSync(join(fixturesDir, "locale-fixtures.json"), "utf8")) as LocaleFixtures;

describe(`byte-exact with Python Tornado ${fixtures.tornadoVersion} (make_locale_fixtures.py)`, () => {
  it(`formatDate agrees on ${fixtures.formatDate.length} dates, offsets and modes`, () => {
    const mismatches: unknown[] = [];
    for (const c of fixtures.formatDate) {
      const o = c.options;
      const ours = formatDate(localeOf(c.code), new Date(c.date), {
        now: new Date(c.now),
        gmtOffset: o["gmt_offset"] as number | undefined,
        shorter: o["shorter"] as boolean | undefined,
        relative: o["relative"] as boolean | undefined,
        fullFormat: o["full_format"] as boolean | undefined,
      });
      if (ours !== c.result) mismatches.push({ ...c, ours });
    }
    expect(mismatches).toEqual([]);
  });

  it("formatDay, list and friendlyNumber agree", () => {
    for (const c of fixtures.formatDay) {
      expect(formatDay(localeOf(c.code), new Date(c.date), { gmtOffset: c.gmtOffset, dow: c.dow })).toBe(c.result);
    }
    for (const c of fixtures.list) expect(formatList(localeOf(c.code), c.parts)).toBe(c.result);
    for (const c of fixtures.friendlyNumber) expect(friendlyNumber(localeOf(c.code), c.value)).toBe(c.result);
    for (const [code, name] of Object.entries(fixtures.names)) {
      expect(LOCALE_NAMES[code]?.name ?? "Unknown").toBe(name);
    }
  });
});

describe("helpers", () => {
  it("formatNamed is Python's % with a mapping", () => {
    expect(formatNamed("%(n)d items, %(who)s, 100%%", { n: 3.7, who: "Ada" })).toBe("3 items, Ada, 100%");
    expect(formatNamed("%(missing)s", {})).toBe("%(missing)s");
  });

  it("parseCsv follows the excel dialect", () => {
    expect(parseCsv('a,"b,c","d""e"\r\n\r\n"multi\nline",x,\n')).toEqual([
      ["a", "b,c", 'd"e'],
      [],
      ["multi\nline", "x", ""],
    ]);
  });

  it("plural expressions compile without eval", () => {
    const polish = compilePluralExpression(
      "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    );
    expect([1, 2, 5, 12, 22, 25, 112].map(polish)).toEqual([0, 1, 2, 2, 1, 2, 2]);
    expect(compilePluralExpression("n != 1")(1)).toBe(0);
    expect(compilePluralExpression("(n > 1)")(0)).toBe(0);
    expect(() => compilePluralExpression("process.exit()")).toThrow(LocaleError);
  });
});

describe("Locale", () => {
  it("get picks the closest supported locale (Tornado's rules)", () => {
    loadTranslations(join(fixturesDir, "csv_translations"));
    expect(Locale.get("fr-FR").code).toBe("fr_FR");
    expect(Locale.get("fr_fr").code).toBe("fr_FR");
    expect(Locale.get("de", "fr_FR").code).toBe("fr_FR");
    expect(Locale.get("a_b_c", "xx").code).toBe("en_US");
    expect(Locale.get().code).toBe("en_US");
    expect(Locale.get("fr_FR")).toBe(Locale.get("fr-FR")); // cached
    expect(Locale.get("fr_FR").translate("school")).toBe("\u00e9cole");
    expect(Locale.get("fr_FR").name).toBe("Fran\u00e7ais");
    expect(Locale.getSupportedLocales().sort()).toEqual(["en_US", "fr_FR"]);
  });

  it("a language alone matches when only the language is supported", () => {
    const dir = mkdtempSync(join(tmpdir(), "tornado-locale-"));
    try {
      writeFileSync(join(dir, "es.csv"), '"yes","s\u00ed"\n');
      loadTranslations(dir);
      expect(Locale.get("es_MX").code).toBe("es");
      expect(Locale.get("es_MX").translate("yes")).toBe("s\u00ed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("forCode refuses unsupported codes; reloading drops the cache", () => {
    expect(() => Locale.forCode("de_DE")).toThrow(LocaleError);
    const before = Locale.get("en_US");
    loadTranslations(join(fixturesDir, "csv_translations"));
    expect(Locale.get("en_US")).not.toBe(before);
  });

  it("rtl, names and formatting methods", () => {
    Locale.setDefaultLocale("fa_IR");
    const fa = Locale.get();
    expect(fa.rtl).toBe(true);
    expect(fa.nameEn).toBe("Persian");
    expect(fa.list(["A", "B", "C"])).toBe("A \u0648 B and C");
    Locale.setDefaultLocale("en_US");
    const en = Locale.get("en_US");
    expect(en.rtl).toBe(false);
    expect(en.friendlyNumber(1234)).toBe("1,234");
    expect(en.formatDay(new Date(Date.UTC(2013, 3, 28)), { dow: false })).toBe("April 28");
    expect(en.formatDate(new Date(Date.UTC(2013, 3, 28, 18, 35)), { fullFormat: true })).toBe("April 28, 2013 at 6:35 pm");
  });

  it("pgettext through a gettext catalog", () => {
    loadGettextTranslations(join(fixturesDir, "gettext_translations"), "tornado_test");
    expect(Locale.get("fr-FR").pgettext("law", "right")).toBe("le droit");
    // Only a supported language code matches a bare language: "fr" is not "fr_FR".
    expect(Locale.get("fr").code).toBe("en_US");
  });
});
