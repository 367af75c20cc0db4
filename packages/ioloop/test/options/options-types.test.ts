// Compile-time types of options (checked by `tsc -p tsconfig.test.json`; each
// `@ts-expect-error` fails the typecheck if the line it marks compiles).
import { define, OptionParser, options, type Options } from "@tornado/ioloop";

declare module "@tornado/ioloop" {
  interface Options {
    typedElsewhere: string;
  }
}

test("define() types the option it defines", () => {
  const parser = new OptionParser()
    .define("port", { default: 8888 })
    .define("log_file_prefix", { type: "string" })
    .define("hosts", { type: String, multiple: true })
    .define("started", { type: Date, default: new Date(0) });
  const port: number = parser.port;
  // @ts-expect-error a number is not a string
  const wrong: string = parser.port;
  // @ts-expect-error an option never defined
  void parser.prot;
  const prefix: string | undefined = parser.logFilePrefix;
  const hosts: string[] = parser.hosts;
  const started: Date = parser.started;
  parser.port = 80;
  expect([port, wrong, prefix, hosts, started.getTime()]).toEqual([8888, 8888, undefined, [], 0]);

  // Tornado's main.py: define("port", default=8888) ... options.port
  const global = define("typesTestPort", { default: 8888 }).define("typesTestDebug", { default: false });
  const flag: boolean = global.typesTestDebug;
  const globalPort: number = global.typesTestPort;
  // @ts-expect-error a boolean is not a number
  const notNumber: number = global.typesTestDebug;
  expect((options as unknown as Record<string, unknown>).typesTestPort).toBe(globalPort); // the same global object (read untyped here)
  expect([flag, notNumber]).toEqual([false, false]);
  // @ts-expect-error not declared in Options: options defined elsewhere are typed by merging
  void options.typesTestDebug;

  // The logging options are typed on the global options, and Options merges.
  const logging: string | null = options.logging;
  const elsewhere: Options["typedElsewhere"] = "declared by merging";
  expect([logging, elsewhere]).toEqual(["info", "declared by merging"]);
});
