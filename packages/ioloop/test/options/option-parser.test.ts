// Ported from tornado/test/options_test.py (OptionsTest), plus the typed errors.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { OptionParser, OptionsError } from "@tornado/ioloop";

const FIXTURES = join(__dirname, "..", "fixtures", "options");
const { Email } = require(join(FIXTURES, "email.cjs")) as { Email: new (value: string) => { value: string } };

/** A parser whose options are read without the compile-time types (as Python does). */
function parser(): OptionParser & Record<string, unknown> {
  return new OptionParser() as OptionParser & Record<string, unknown>;
}

test("parse_command_line", () => {
  const options = parser();
  options.define("port", { default: 80 });
  options.parseCommandLine(["main.py", "--port=443"]);
  expect(options.port).toBe(443);
});

test.each(["options_test.cjs", "options_test.json"])("parse_config_file (%s)", (file) => {
  const options = parser();
  options.define("port", { default: 80 });
  options.define("username", { default: "foo" });
  options.define("my_path");
  options.define("foo_bar");
  options.parseConfigFile(join(FIXTURES, file));
  expect(options.port).toBe(443);
  expect(options.username).toBe("李康");
  expect(options.fooBar).toBe("a");
  if (file.endsWith(".cjs")) expect(options.my_path).toBe(join(FIXTURES, file));
});

test("parse_callbacks: only a final parse runs them, every time", () => {
  const options = parser();
  let called = 0;
  options.addParseCallback(() => called++);
  options.parseCommandLine(["main.py"], false);
  expect(called).toBe(0);
  options.parseCommandLine(["main.py"]);
  expect(called).toBe(1);
  options.parseCommandLine(["main.py"]);
  expect(called).toBe(2);
});

test("help prints the usage, the options by group, and exits 0", () => {
  const result = spawnSync(process.execPath, [join(FIXTURES, "help.js"), "--help"], { encoding: "utf8" });
  expect(result.status).toBe(0);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("Usage:");
  expect(result.stderr).toMatch(/\n {2}--help +show this help information\n/);
  expect(result.stderr).toMatch(/\n {2}--port +port to listen on \(default 8888\)\n/);
  expect(result.stderr).toContain("\ng options:\n\n  --with-underscore");
});

// Beyond Tornado: an option's environment variable, read by parseCommandLine before the arguments.
test("env: a set variable is the value unless the command line gives one; a bad one names the variable", () => {
  const saved = process.env;
  process.env = { ...saved, OPTIONS_TEST_PORT: "9000", OPTIONS_TEST_EMPTY: "" };
  try {
    const options = parser();
    options.define("port", { default: 80, env: "OPTIONS_TEST_PORT", help: "port to listen on" });
    options.define("name", { default: "x", env: "OPTIONS_TEST_EMPTY" });
    options.define("debug", { default: false, env: "OPTIONS_TEST_UNSET" });
    expect(options.port).toBe(80); // read when parsing, not when defining
    expect(options.parseCommandLine(["main.py", "rest"], false)).toEqual(["rest"]);
    expect([options.port, options.name, options.debug]).toEqual([9000, "x", false]);
    options.parseCommandLine(["main.py", "--port=443"], false);
    expect(options.port).toBe(443);
    let help = "";
    options.printHelp({ write: (text: string) => (help += text) });
    expect(help.replace(/\s+/g, " ")).toContain(" --port port to listen on (env OPTIONS_TEST_PORT) (default 80) ");
    process.env.OPTIONS_TEST_PORT = "http";
    expect(() => options.parseCommandLine(["main.py", "--port=443"], false)).toThrow(
      new OptionsError('environment variable OPTIONS_TEST_PORT: Option "port": invalid number: "http"'),
    );
    expect(() => options.define("other", { env: "" })).toThrow(/env must be the name of an environment variable, got ""/);
  } finally {
    process.env = saved;
  }
});

test("subcommand: parsing stops at the first non-option; parsers are distinct", () => {
  const base = parser();
  base.define("verbose", { default: false });
  const sub = parser();
  sub.define("foo", { type: String });
  const rest = base.parseCommandLine(["main.py", "--verbose", "subcommand", "--foo=bar"]);
  expect(rest).toEqual(["subcommand", "--foo=bar"]);
  expect(base.verbose).toBe(true);
  expect(sub.parseCommandLine(rest)).toEqual([]);
  expect(sub.foo).toBe("bar");
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(() => sub.parseCommandLine(["subcommand", "--verbose"])).toThrow(OptionsError);
    expect(stderr).toHaveBeenCalled(); // the help, as Tornado prints it before raising
  } finally {
    stderr.mockRestore();
  }
});

test("setattr, and its type check (no parsing from strings)", () => {
  const options = parser();
  options.define("foo", { default: 1, type: "int" });
  options.foo = 2;
  expect(options.foo).toBe(2);
  expect(() => {
    options.foo = "2";
  }).toThrow(new OptionsError('Option "foo" is required to be a int (string "2" given)'));
});

test("setattr with callback", () => {
  const values: number[] = [];
  const options = parser();
  options.define("foo", { default: 1, type: "int", callback: (value: number) => values.push(value) });
  options.foo = 2;
  expect(values).toEqual([2]);
});

function sample(): OptionParser & Record<string, unknown> {
  const options = parser();
  options.define("a", { default: 1 });
  options.define("b", { default: 2 });
  return options;
}

test("iter, getitem, setitem, items, asDict (help always defined)", () => {
  const options = sample();
  expect(new Set(options)).toEqual(new Set(["a", "b", "help"]));
  expect(options["a"]).toBe(1);
  options["a"] = 3;
  expect(options["a"]).toBe(3);
  expect(options.items().sort()).toEqual([["a", 3], ["b", 2], ["help", undefined]]);
  expect(options.asDict()).toEqual({ a: 3, b: 2, help: undefined });
});

test("groups and groupDict: default group is the defining file", () => {
  const options = parser();
  options.define("a", { default: 1 });
  options.define("b", { group: "b_group", default: 2 });
  expect(options.groups()).toEqual(new Set(["b_group", "", __filename]));
  expect(options.groupDict("b_group")).toEqual({ b: 2 });
  expect(options.groupDict("nonexistent")).toEqual({});
});

test("mockable() works with jest.replaceProperty, nested and mixed with sets", () => {
  const options = parser();
  options.define("foo", { default: 1 });
  options.parseCommandLine(["main.py", "--foo=2"]);
  expect(options.foo).toBe(2);
  const first = jest.replaceProperty(options.mockable(), "foo", 3);
  expect(options.foo).toBe(3);
  first.restore();
  expect(options.foo).toBe(2);
  const outer = jest.replaceProperty(options.mockable(), "foo", 4);
  expect(options.foo).toBe(4);
  options.foo = 5;
  expect(options.foo).toBe(5);
  const inner = jest.replaceProperty(options.mockable(), "foo", 6);
  expect(options.foo).toBe(6);
  inner.restore();
  expect(options.foo).toBe(5);
  outer.restore();
  expect(options.foo).toBe(2);
});

function defineTypes(): OptionParser & Record<string, unknown> {
  const options = parser();
  options.define("str", { type: String });
  options.define("basestring", { type: "string" });
  options.define("int", { type: "int" });
  options.define("float", { type: Number });
  options.define("datetime", { type: Date });
  options.define("timedelta", { type: "duration" });
  options.define("email", { type: Email });
  options.define("list-of-int", { type: "int", multiple: true });
  options.define("list-of-str", { type: String, multiple: true });
  return options;
}

function checkTypes(options: Record<string, unknown>): void {
  expect(options.str).toBe("asdf");
  expect(options.basestring).toBe("qwer");
  expect(options.int).toBe(42);
  expect(options.float).toBe(1.5);
  expect(options.datetime).toEqual(new Date(2013, 3, 28, 5, 16));
  expect(options.timedelta).toBe(45);
  expect(options.email).toBeInstanceOf(Email);
  expect((options.email as { value: string }).value).toBe("tornado@web.com");
  expect(options.list_of_int).toEqual([1, 2, 3]);
  expect(options.listOfStr).toEqual(["a", "b", "c"]);
}

test("types", () => {
  const options = defineTypes();
  options.parseCommandLine([
    "main.py", "--str=asdf", "--basestring=qwer", "--int=42", "--float=1.5", "--datetime=2013-04-28 05:16",
    "--timedelta=45s", "--email=tornado@web.com", "--list-of-int=1,2,3", "--list-of-str=a,b,c",
  ]);
  checkTypes(options);
});

test.each(["options_test_types.cjs", "options_test_types_str.json"])("types with conf file %s", (file) => {
  const options = defineTypes();
  options.parseConfigFile(join(FIXTURES, file));
  checkTypes(options);
});

test("multiple string and multiple int with ranges", () => {
  const options = parser();
  options.define("foo", { type: String, multiple: true });
  options.define("bar", { type: "int", multiple: true });
  options.parseCommandLine(["main.py", "--foo=a,b,c", "--bar=1,3,5:7"]);
  expect(options.foo).toEqual(["a", "b", "c"]);
  expect(options.bar).toEqual([1, 3, 5, 6, 7]);
});

test("durations and dates in Tornado's forms", () => {
  const options = parser();
  options.define("wait", { type: "duration" });
  options.define("when", { type: "date" });
  for (const [text, seconds] of [["45s", 45], ["2h", 7200], ["1h 30m", 5400], ["1.5 hours", 5400], ["500ms", 0.5], ["1w", 604800], ["10", 10]] as const) {
    options.parseCommandLine(["main.py", `--wait=${text}`]);
    expect(options.wait).toBeCloseTo(seconds);
  }
  for (const text of ["Sun Apr 28 05:16:00 2013", "2013-04-28 05:16:00", "2013-04-28T05:16", "20130428 05:16"]) {
    options.parseCommandLine(["main.py", `--when=${text}`]);
    expect(options.when).toEqual(new Date(2013, 3, 28, 5, 16));
  }
  options.parseCommandLine(["main.py", "--when=20130428"]);
  expect(options.when).toEqual(new Date(2013, 3, 28));
});

test("error_redefine, in any spelling", () => {
  for (const [a, b] of [["foo-bar", "foo-bar"], ["foo_bar", "foo_bar"], ["foo-bar", "foo_bar"], ["foo_bar", "foo-bar"], ["foo_bar", "fooBar"]]) {
    const options = parser();
    options.define(a as string);
    expect(() => options.define(b as string)).toThrow(/Option.*foo.bar.*already defined/);
  }
});

test("dash_underscore_cli: dashes, underscores and camelCase are one option", () => {
  for (const defined of ["foo-bar", "foo_bar", "fooBar"]) {
    for (const flag of ["--foo-bar=a", "--foo_bar=a", "--fooBar=a"]) {
      const options = parser();
      options.define(defined);
      options.parseCommandLine(["main.py", flag]);
      expect(options.foo_bar).toBe("a");
      expect(options["foo-bar"]).toBe("a");
      expect(options.fooBar).toBe("a");
    }
  }
});

test("dash_underscore_file", () => {
  for (const defined of ["foo-bar", "foo_bar"]) {
    const options = parser();
    options.define(defined);
    options.parseConfigFile(join(FIXTURES, "options_test.json"));
    expect(options.foo_bar).toBe("a");
  }
});

test("dash_underscore_introspection: names kept as defined; help shows dashes", () => {
  const options = parser();
  options.define("with-dash", { group: "g" });
  options.define("with_underscore", { group: "g" });
  const all = ["help", "with-dash", "with_underscore"];
  expect([...options].sort()).toEqual(all);
  expect(options.items().map(([name]) => name).sort()).toEqual(all);
  expect(Object.keys(options.asDict()).sort()).toEqual(all);
  expect(Object.keys(options.groupDict("g")).sort()).toEqual(["with-dash", "with_underscore"]);
  let text = "";
  options.printHelp({ write: (chunk: string) => (text += chunk) });
  expect(text).toContain("--with-dash");
  expect(text).toContain("--with-underscore");
});

describe("errors", () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());

  test("unknown option on the command line, in code, in the spec", () => {
    const options = parser();
    expect(() => options.parseCommandLine(["main.py", "--nope=1"])).toThrow(new OptionsError('Unrecognized command line option: "nope"'));
    expect(() => {
      options.nope = 1;
    }).toThrow(OptionsError);
    expect(options.nope).toBeUndefined();
    expect(() => options.define("x", { type: "float" as "number" })).toThrow(/unknown option type "float"/);
  });

  test("a value that does not parse names the option and its type", () => {
    const options = parser();
    options.define("port", { default: 80 });
    options.define("count", { type: "int" });
    options.define("when", { type: Date });
    options.define("wait", { type: "duration" });
    options.define("email", { type: Email });
    expect(() => options.parseCommandLine(["main.py", "--port=http"])).toThrow(new OptionsError('Option "port": invalid number: "http"'));
    expect(() => options.parseCommandLine(["main.py", "--count=1.5"])).toThrow(new OptionsError('Option "count": invalid integer: "1.5"'));
    expect(() => options.parseCommandLine(["main.py", "--port"])).toThrow(new OptionsError('Option "port" requires a value'));
    expect(() => options.parseCommandLine(["main.py", "--when=yesterday"])).toThrow(/^Option "when": Unrecognized date\/time format/);
    expect(() => options.parseCommandLine(["main.py", "--wait=5 fortnights"])).toThrow(/^Option "wait": invalid duration/);
    expect(() => options.parseCommandLine(["main.py", "--email=nobody"])).toThrow(/^Option "email": invalid Email/);
    expect(options.port).toBe(80);
  });

  test("a config file that is not an object, or not there", () => {
    const options = parser();
    expect(() => options.parseConfigFile(join(FIXTURES, "missing.json"))).toThrow(/cannot load config file/);
    expect(() => options.parseConfigFile(join(FIXTURES, "..", "README.md"))).toThrow(OptionsError);
  });
});
