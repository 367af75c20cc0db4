// The blog's options: define()d as Tornado's demo defines them, with the README's environment
// variables, parsed as main.ts parses them (final = false: logging stays as it is).
import { join } from "node:path";
import { OptionsError } from "@tornado/tornado";

type BlogOptions = typeof import("../src/options").options;

/** src/options.ts loaded afresh: global options of its own, as a new process has. */
function load(): BlogOptions {
  let options: BlogOptions | undefined;
  jest.isolateModules(() => {
    options = (require("../src/options") as typeof import("../src/options")).options;
  });
  return options!;
}

/** Parses `args` as main.ts does, in the environment `env` (and no other variable of the blog's). */
function parse(options: BlogOptions, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const saved = process.env;
  process.env = { PATH: saved.PATH, ...env };
  try {
    options.parseCommandLine(["main.js", ...args], false);
  } finally {
    process.env = saved;
  }
}

describe("the blog's options", () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());

  it("default to port 8888 on 127.0.0.1 and PGlite in apps/blog/data", () => {
    const options = load();
    parse(options, []);
    expect(options.groupDict(require.resolve("../src/options"))).toEqual({
      port: 8888,
      address: "127.0.0.1",
      database_url: undefined,
      data_dir: join(__dirname, "..", "data"),
      cookie_secret: undefined,
      debug: false,
    });
  });

  it("read PORT, DATABASE_URL and COOKIE_SECRET, and the command line wins", () => {
    const env = { PORT: "9000", DATABASE_URL: "postgres://env/blog", COOKIE_SECRET: "from env" };
    const options = load();
    parse(options, [], env);
    expect(options.asDict()).toMatchObject({ port: 9000, database_url: "postgres://env/blog", cookie_secret: "from env" });
    parse(options, ["--port=9001", "--database-url=postgres://flag/blog", "--cookie_secret=flag", "--debug", "--data_dir=/srv/blog"], env);
    expect(options.asDict()).toMatchObject({ port: 9001, database_url: "postgres://flag/blog", cookie_secret: "flag", debug: true, data_dir: "/srv/blog" });
  });

  it("refuse a bad value, a missing one and an unknown option with an OptionsError naming it", () => {
    const options = load();
    expect(() => parse(options, ["--port=http"])).toThrow(new OptionsError('Option "port": invalid integer: "http"'));
    expect(() => parse(options, ["--port=80.5"])).toThrow(new OptionsError('Option "port": invalid integer: "80.5"'));
    expect(() => parse(options, [], { PORT: "http" })).toThrow(new OptionsError('environment variable PORT: Option "port": invalid integer: "http"'));
    expect(() => parse(options, ["--port", "9002"])).toThrow(new OptionsError('Option "port" requires a value'));
    expect(() => parse(options, ["--prot=80"])).toThrow(new OptionsError('Unrecognized command line option: "prot"'));
    expect(options.port).toBe(8888);
  });

  it("are listed by --help with what they do and their environment variables", () => {
    const options = load();
    let help = "";
    options.printHelp({ write: (text: string) => (help += text) });
    const flat = help.replace(/\s+/g, " ");
    expect(flat).toContain("--port run on the given port (env PORT) (default 8888)");
    expect(flat).toContain("--database-url=URL the PostgreSQL server");
    expect(flat).toContain("PGlite in --data_dir (env DATABASE_URL)");
    expect(flat).toContain("with the process (env COOKIE_SECRET)");
    expect(flat).toMatch(/--data-dir PGlite's files \(default \S+apps\/blog\/data\)/);
  });
});
