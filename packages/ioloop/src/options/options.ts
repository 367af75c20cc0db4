/**
 * The global options and Tornado's module-level functions over them.
 *
 * Tornado: tornado.options (options, define, parse_command_line, parse_config_file,
 * print_help, add_parse_callback).
 */

import { defineLoggingOptions, type LoggingOptions } from "../log/pretty-logging";
import { OptionParser, type DefinedOption, type OptionSpec, type TextSink } from "./option-parser";

/**
 * Options read in other modules than the one that defines them: declare their types here by
 * declaration merging, once.
 *
 * @example
 * declare module "@tornado/ioloop" { interface Options { port: number } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty until an application merges its options in
export interface Options {}

/** The type of the global `options`: the parser, the logging options, and your `Options`. */
export type GlobalOptions = OptionParser & Required<LoggingOptions> & Options;

/**
 * The global options: every option define() made, as a property (`options.port`).
 * Tornado: tornado.options.options.
 */
export const options: GlobalOptions = new OptionParser() as GlobalOptions;
defineLoggingOptions(options);

/**
 * Defines an option on the global options and returns them typed with it: after
 * `const options = define("port", { default: 8888 })`, `options.port` is a number (chain
 * `.define(...)` for more). Modules that read an option defined elsewhere declare its type in
 * `Options`. Tornado: tornado.options.define.
 */
export function define<const N extends string, const S extends OptionSpec = Record<never, never>>(name: N, spec?: S): GlobalOptions & DefinedOption<N, S> {
  return options.define(name, spec);
}

/** Parses the command line into the global options. Tornado: tornado.options.parse_command_line. */
export function parseCommandLine(args?: readonly string[], final = true): string[] {
  return options.parseCommandLine(args, final);
}

/** Loads a JSON or CommonJS config file into the global options. Tornado: parse_config_file. */
export function parseConfigFile(file: string, final = true): void {
  options.parseConfigFile(file, final);
}

/** Prints the global options' help. Tornado: tornado.options.print_help. */
export function printHelp(sink?: TextSink): void {
  options.printHelp(sink);
}

/** Adds a callback run after each final parse of the global options. Tornado: add_parse_callback. */
export function addParseCallback(callback: () => void): void {
  options.addParseCallback(callback);
}
