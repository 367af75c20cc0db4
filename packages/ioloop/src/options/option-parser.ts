/**
 * OptionParser: options defined anywhere in a program, set from the command line or a config
 * file, read as properties (`options.port`).
 *
 * Tornado: tornado.options.OptionParser.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { ArgumentTypeError, checkCallback, describeValue } from "@tornado/util";
import { OptionsError } from "../errors";
import { Option } from "./option";
import { resolveType, type OptionType, type ValueOfType, type Widen } from "./option-types";

/** What define() takes besides the name. Tornado: define(name, default, type, help, ...). */
export interface OptionSpec {
  /** The value until one is set; its type is the option's type when `type` is omitted. */
  readonly default?: unknown;
  /** "string", "number", "int", "boolean", "date", "duration" (seconds), String, Number, Boolean, Date, or a class taking the string. Default: the default's type, else string. */
  readonly type?: OptionType;
  /** One line for --help. */
  readonly help?: string;
  /** The value's name in --help (`--port=PORT`). */
  readonly metavar?: string;
  /** A comma-separated list (int types also take ranges "1:3"); the value is an array. */
  readonly multiple?: boolean;
  /** Group for --help and groupDict(); default: the file that called define(). */
  readonly group?: string;
  /** Called with the new value each time the option is set or parsed. */
  readonly callback?: (value: never) => void;
  /**
   * An environment variable (`"PORT"`) that parseCommandLine() reads, when set and not empty,
   * as this option's command-line value, before the arguments, which win. Beyond Tornado.
   */
  readonly env?: string;
}

/** "log_file_prefix" and "log-file-prefix" -> "logFilePrefix": how an option reads in TypeScript. */
export type CamelCase<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S extends `${infer H}-${infer T}`
    ? `${H}${Capitalize<CamelCase<T>>}`
    : S;

type Single<S extends OptionSpec> = S extends { readonly type: infer T }
  ? ValueOfType<T> | (S extends { readonly default: NonNullable<unknown> } ? never : undefined)
  : S extends { readonly default: infer D }
    ? D extends null | undefined
      ? string | undefined
      : Widen<D>
    : string | undefined;

/** The value type an option of this spec has. */
export type OptionValue<S extends OptionSpec> = S extends { readonly multiple: true }
  ? S extends { readonly type: infer T }
    ? ValueOfType<T>[]
    : S extends { readonly default: readonly (infer E)[] }
      ? Widen<E>[]
      : string[]
  : Single<S>;

/** The properties define(name, spec) adds: the name as written and in camelCase. */
export type DefinedOption<N extends string, S extends OptionSpec> = { [K in N | CamelCase<N>]: OptionValue<S> };

/** Tornado's normalisation (`_` as `-`), plus camelCase humps as `-`: one option, any spelling. */
export function normalizeName(name: string): string {
  return name.replace(/_/g, "-").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

const HELP_WIDTH = 79 - 35;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function showDefault(value: unknown): string {
  if (Array.isArray(value)) return value.map(showDefault).join(",");
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The file of the first caller outside this folder (Tornado groups options by defining file). */
function callerFile(): string {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?$/.exec(line.trim());
    const file = match?.[1];
    if (file === undefined || file.startsWith("node:")) continue;
    if (path.dirname(file.replace(/^file:\/\//, "")) === __dirname) continue;
    return file.replace(/^file:\/\//, "");
  }
  return "";
}

/** A writable text sink, such as process.stdout or process.stderr. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * A set of options, read and written as properties: `options.port`, `options.port = 443`
 * (a value of the option's type; OptionsError otherwise). Any spelling of a name works:
 * `options.log_file_prefix`, `options["log-file-prefix"]`, `options.logFilePrefix`.
 * Every parser defines `help` (`--help` prints the options and exits).
 *
 * Tornado: tornado.options.OptionParser.
 */
export class OptionParser implements Iterable<string> {
  readonly #options = new Map<string, Option>();
  readonly #parseCallbacks: Array<() => void> = [];
  /** The Proxy the constructor returns: what define() hands back for chaining. */
  readonly #self: this;

  constructor() {
    const proxy = new Proxy(this, {
      get(target, property, receiver) {
        if (typeof property === "string" && !(property in target)) {
          const option = target.#options.get(normalizeName(property));
          if (option !== undefined) return option.value();
          return undefined;
        }
        const value: unknown = Reflect.get(target, property, receiver === proxy ? target : receiver);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
      set(target, property, value) {
        if (typeof property === "string" && !(property in target)) {
          target.#option(property).set(value);
          return true;
        }
        return Reflect.set(target, property, value);
      },
      has(target, property) {
        return (typeof property === "string" && target.#options.has(normalizeName(property))) || property in target;
      },
    });
    this.#self = proxy;
    this.#define("help", { type: "boolean", help: "show this help information", callback: (value: boolean) => this.#helpCallback(value) }, "");
    return proxy;
  }

  /**
   * Defines an option. The name is unique in any spelling (OptionsError otherwise). Returns
   * this parser, typed with the new option, so that definitions chain into a typed object:
   * `const options = new OptionParser().define("port", { default: 8888 })` makes
   * `options.port` a number. Tornado: OptionParser.define (which returns None).
   */
  define<const N extends string, const S extends OptionSpec = Record<never, never>>(name: N, spec?: S): this & DefinedOption<N, S>;
  define(name: string, spec: OptionSpec = {}): this {
    this.#define(name, spec, callerFile());
    return this.#self;
  }

  /**
   * Parses `args` (default `process.argv.slice(1)`; `args[0]`, the program, is skipped as
   * Tornado skips sys.argv[0]): `--name=value`, `--flag` for a boolean, `-` and `_` alike, up
   * to the first argument that is not an option (or after `--`), after the `env` variables of
   * the options that have one. Returns the arguments not parsed. With `final` (default true), runs the parse callbacks (logging set-up among them).
   * Tornado: parse_command_line.
   */
  parseCommandLine(args: readonly string[] = process.argv.slice(1), final = true): string[] {
    if (!Array.isArray(args)) throw new ArgumentTypeError(`args must be an array of strings, got ${describeValue(args)}`);
    for (const option of this.#options.values()) {
      const text = option.env === undefined ? undefined : process.env[option.env];
      if (text === undefined || text === "") continue;
      try {
        option.parse(text);
      } catch (error) {
        throw new OptionsError(`environment variable ${option.env}: ${(error as Error).message}`);
      }
    }
    let remaining: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const arg = String(args[i]);
      if (!arg.startsWith("-")) {
        remaining = args.slice(i) as string[];
        break;
      }
      if (arg === "--") {
        remaining = args.slice(i + 1) as string[];
        break;
      }
      const body = arg.replace(/^-+/, "");
      const equals = body.indexOf("=");
      const name = normalizeName(equals === -1 ? body : body.slice(0, equals));
      const option = this.#options.get(name);
      if (option === undefined) {
        this.printHelp();
        throw new OptionsError(`Unrecognized command line option: ${JSON.stringify(name)}`);
      }
      if (equals === -1 && option.type.label !== "boolean") {
        throw new OptionsError(`Option ${JSON.stringify(name)} requires a value`);
      }
      option.parse(equals === -1 ? "true" : body.slice(equals + 1));
    }
    if (final) this.runParseCallbacks();
    return remaining;
  }

  /**
   * Loads a config file: JSON (`.json`), or a CommonJS module (`.js`, `.cjs`) exporting an
   * object (Tornado runs a Python file). Keys that name a defined option set it; a string for
   * a non-string or multiple option is parsed as on the command line; other keys are ignored.
   * Tornado: parse_config_file.
   */
  parseConfigFile(file: string, final = true): void {
    if (typeof file !== "string") throw new ArgumentTypeError(`path must be a string, got ${describeValue(file)}`);
    const absolute = path.resolve(file);
    let config: unknown;
    try {
      if (absolute.endsWith(".json")) {
        config = JSON.parse(readFileSync(absolute, "utf8"));
      } else {
        const load = createRequire(absolute);
        delete load.cache[absolute];
        const loaded = load(absolute) as { default?: unknown } | null;
        config = loaded !== null && typeof loaded === "object" && "default" in loaded ? loaded.default : loaded;
      }
    } catch (error) {
      throw new OptionsError(`cannot load config file ${file}: ${(error as Error).message}`, { cause: error });
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new OptionsError(`config file ${file} must hold an object of option values`);
    }
    for (const [name, value] of Object.entries(config)) {
      const option = this.#options.get(normalizeName(name));
      if (option === undefined) continue;
      if (option.multiple && !Array.isArray(value) && typeof value !== "string") {
        throw new OptionsError(`Option ${JSON.stringify(option.name)} is required to be a list of ${option.type.label} or a comma-separated string`);
      }
      if (typeof value === "string" && (option.type.label !== "string" || option.multiple)) option.parse(value);
      else option.set(value);
    }
    if (final) this.runParseCallbacks();
  }

  /** Prints every option, grouped by file or group, to `sink` (default stderr). Tornado: print_help. */
  printHelp(sink: TextSink = process.stderr): void {
    const out: string[] = [`Usage: ${process.argv[1] ?? "node"} [OPTIONS]`, "", "Options:", ""];
    const groups = new Map<string, Option[]>();
    for (const option of this.#options.values()) {
      const list = groups.get(option.groupName) ?? [];
      list.push(option);
      groups.set(option.groupName, list);
    }
    for (const group of [...groups.keys()].sort()) {
      if (group) out.push("", `${path.normalize(group)} options:`, "");
      const list = (groups.get(group) as Option[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const option of list) {
        let prefix = normalizeName(option.name);
        if (option.metavar) prefix += `=${option.metavar}`;
        let description = option.help ?? "";
        if (option.env !== undefined) description += ` (env ${option.env})`;
        if (option.default !== undefined && option.default !== null && option.default !== "") {
          description += ` (default ${showDefault(option.default)})`;
        }
        const lines = wrap(description, HELP_WIDTH);
        if (prefix.length > 30 || lines.length === 0) lines.unshift("");
        out.push(`  --${prefix.padEnd(30)} ${lines[0]}`.trimEnd());
        for (const line of lines.slice(1)) out.push(`${" ".repeat(34)} ${line}`);
      }
    }
    sink.write(out.join("\n") + "\n\n");
  }

  /** Adds a callback run after each final parse. Tornado: add_parse_callback. */
  addParseCallback(callback: () => void): void {
    checkCallback(callback);
    this.#parseCallbacks.push(callback);
  }

  /** Runs the parse callbacks, in the order added. Tornado: run_parse_callbacks. */
  runParseCallbacks(): void {
    for (const callback of this.#parseCallbacks) callback();
  }

  /** The option names, as defined. Tornado: __iter__. */
  *[Symbol.iterator](): Iterator<string> {
    for (const option of this.#options.values()) yield option.name;
  }

  /** `[name, value]` pairs. Tornado: items. */
  items(): Array<[string, unknown]> {
    return [...this.#options.values()].map((option) => [option.name, option.value()]);
  }

  /** The group names in use ("" for options of this module). Tornado: groups. */
  groups(): Set<string> {
    return new Set([...this.#options.values()].map((option) => option.groupName));
  }

  /**
   * The names and values of a group's options (every option for ""), for instance to pass
   * to an Application as settings. Tornado: group_dict.
   */
  groupDict(group: string): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const option of this.#options.values()) {
      if (!group || option.groupName === group) result[option.name] = option.value();
    }
    return result;
  }

  /** The names and values of every option. Tornado: as_dict. */
  asDict(): Record<string, unknown> {
    return this.groupDict("");
  }

  /**
   * An object whose properties are the options, made for `jest.replaceProperty`, which then
   * sets an option for a test and restores it after (Tornado: mockable(), for mock.patch).
   */
  mockable(): Record<string, unknown> {
    const find = (property: string | symbol): Option | undefined =>
      typeof property === "string" ? this.#options.get(normalizeName(property)) : undefined;
    return new Proxy({} as Record<string, unknown>, {
      get: (_target, property) => find(property)?.value(),
      set: (_target, property, value) => {
        this.#option(String(property)).set(value);
        return true;
      },
      has: (_target, property) => find(property) !== undefined,
      getOwnPropertyDescriptor: (_target, property) => {
        const option = find(property);
        return option === undefined ? undefined : { value: option.value(), writable: true, enumerable: true, configurable: true };
      },
      defineProperty: (_target, property, descriptor) => {
        this.#option(String(property)).set(descriptor.value);
        return true;
      },
    });
  }

  #option(name: string): Option {
    const option = this.#options.get(normalizeName(name));
    if (option === undefined) throw new OptionsError(`Unrecognized option ${JSON.stringify(name)}`);
    return option;
  }

  #define(name: string, spec: OptionSpec, file: string): void {
    if (typeof name !== "string" || name === "") throw new ArgumentTypeError(`option name must be a non-empty string, got ${describeValue(name)}`);
    if (spec === null || typeof spec !== "object") throw new ArgumentTypeError(`option spec must be an object, got ${describeValue(spec)}`);
    const normalized = normalizeName(name);
    const existing = this.#options.get(normalized);
    if (existing !== undefined) {
      throw new OptionsError(`Option ${JSON.stringify(normalized)} already defined in ${existing.groupName || "@tornado/ioloop"}`);
    }
    if (spec.callback !== undefined) checkCallback(spec.callback, "callback");
    if (spec.env !== undefined && (typeof spec.env !== "string" || spec.env === "")) {
      throw new ArgumentTypeError(`env must be the name of an environment variable, got ${describeValue(spec.env)}`);
    }
    const multiple = spec.multiple === true;
    this.#options.set(normalized, new Option({
      name,
      type: resolveType(spec.type, spec.default, multiple),
      default: spec.default,
      help: spec.help,
      metavar: spec.metavar,
      multiple,
      groupName: spec.group || file,
      callback: spec.callback,
      env: spec.env,
    }));
  }

  #helpCallback(value: boolean): void {
    if (!value) return;
    this.printHelp();
    process.exit(0);
  }
}
