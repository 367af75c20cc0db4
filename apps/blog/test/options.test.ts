// The blog's options: define()d as Tornado's demo defines them, with the README's environment
// variables as defaults, parsed as main.ts parses them (final = false: logging stays as it is).
import { join } from "node:path";
import { OptionsError } from "@tornado/tornado";

type BlogOptions = typeof import("../src/options").options;

/** src/options.ts loaded afresh (with global options of its own) in the environment `env`. */
function load(env: NodeJS.ProcessEnv): BlogOptions {
  const saved = process.env;
  process.env = { PATH: saved.PATH, ...env };
  try {
    let options: BlogOptions | undefined;
    jest.isolateModules(() => {
      options = (require("../src/options") as typeof import("../src/options")).options;
    });
    return options!;
  } finally {
    process.env = saved;
  }
}

describe("the blog's options", () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true)));
  afterEach(() => stderr.mockRestore());

  it("default to port 8888 on 127.0.0.1 and PGlite in apps/blog/data", () => {
    const options = load({});
    expect(options.groupDict(require.resolve("../src/options"))).toEqual({
      port: 8888,
      address: "127.0.0.1",
      database_url: undefined,
      data_dir: join(__dirname, "..", "data"),
      cookie_secret: undefined,
      debug: false,
    });
  });

  it("take PORT, DATABASE_URL and COOKIE_SECRET as defaults, and the command line wins", () => {
    const options = load({ PORT: "9000", DATABASE_URL: "postgres://env/blog", COOKIE_SECRET: "from env" });
    expect(options).toMatchObject({ port: 9000, databaseUrl: "postgres://env/blog", cookieSecret: "from env" });
    options.parseCommandLine(["main.js", "--port=9001", "--database-url=postgres://flag/blog", "--cookie_secret=flag", "--debug", "--data_dir=/srv/blog"], false);
    expect(options).toMatchObject({ port: 9001, databaseUrl: "postgres://flag/blog", cookieSecret: "flag", debug: true, dataDir: "/srv/blog" });
  });

  it("refuse a bad value, a missing one and an unknown option with an OptionsError naming it", () => {
    const options = load({});
    expect(() => options.parseCommandLine(["main.js", "--port=http"], false)).toThrow(new OptionsError('Option "port": invalid integer: "http"'));
    expect(() => options.parseCommandLine(["main.js", "--port=80.5"], false)).toThrow(new OptionsError('Option "port": invalid integer: "80.5"'));
    expect(() => options.parseCommandLine(["main.js", "--port", "9002"], false)).toThrow(new OptionsError('Option "port" requires a value'));
    expect(() => options.parseCommandLine(["main.js", "--prot=80"], false)).toThrow(new OptionsError('Unrecognized command line option: "prot"'));
    expect(options.port).toBe(8888);
  });

  it("are listed by --help with what they do and their environment variable", () => {
    const options = load({});
    let help = "";
    options.printHelp({ write: (text: string) => (help += text) });
    const flat = help.replace(/\s+/g, " ");
    expect(flat).toContain("--port run on the given port (env PORT) (default 8888)");
    expect(flat).toContain("--database-url=URL the PostgreSQL server");
    expect(flat).toContain("(env DATABASE_URL)");
    expect(flat).toContain("(env COOKIE_SECRET)");
    expect(flat).toMatch(/--data-dir PGlite's files \(default \S+apps\/blog\/data\)/);
  });
});
