import { join } from "node:path";
import { parseOptions } from "../src/options";

describe("parseOptions", () => {
  it("defaults to port 8888 on 127.0.0.1 and PGlite in apps/blog/data", () => {
    expect(parseOptions([], {})).toEqual({
      port: 8888,
      address: "127.0.0.1",
      databaseUrl: undefined,
      dataDir: join(__dirname, "..", "data"),
      cookieSecret: undefined,
      debug: false,
    });
  });

  it("reads PORT, DATABASE_URL and COOKIE_SECRET, and the options win over them", () => {
    const env = { PORT: "9000", DATABASE_URL: "postgres://env/blog", COOKIE_SECRET: "from env" };
    expect(parseOptions([], env)).toMatchObject({ port: 9000, databaseUrl: "postgres://env/blog", cookieSecret: "from env" });
    expect(parseOptions(["--port=9001", "--database_url=postgres://flag/blog", "--cookie_secret=flag", "--debug"], env)).toMatchObject({
      port: 9001,
      databaseUrl: "postgres://flag/blog",
      cookieSecret: "flag",
      debug: true,
    });
    expect(parseOptions(["--port", "9002", "--data_dir", "/srv/blog"], {})).toMatchObject({ port: 9002, dataDir: "/srv/blog" });
  });

  it.each(["http", "-1", "65536", "80.5", ""])("refuses --port=%s", (port) => {
    expect(() => parseOptions([`--port=${port}`], {})).toThrow(`--port must be a port number from 0 to 65535, got ${JSON.stringify(port)}`);
  });

  it("refuses unknown options", () => {
    expect(() => parseOptions(["--prot=80"], {})).toThrow("Unknown option '--prot'");
  });
});
