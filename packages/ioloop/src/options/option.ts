/**
 * One defined option: its type, default, help and value. Internal to OptionParser.
 *
 * Tornado: tornado.options._Option.
 */

import { OptionsError } from "../errors";
import type { ResolvedType } from "./option-types";

const UNSET = Symbol("unset");

export interface OptionInit {
  name: string;
  type: ResolvedType;
  default: unknown;
  help: string | undefined;
  metavar: string | undefined;
  multiple: boolean;
  groupName: string;
  callback: ((value: never) => void) | undefined;
  env: string | undefined;
}

export class Option {
  readonly name: string;
  readonly type: ResolvedType;
  readonly default: unknown;
  readonly help: string | undefined;
  readonly metavar: string | undefined;
  readonly multiple: boolean;
  readonly groupName: string;
  readonly callback: ((value: unknown) => void) | undefined;
  /** The environment variable parseCommandLine reads first, if any. */
  readonly env: string | undefined;
  #value: unknown = UNSET;

  constructor(init: OptionInit) {
    this.name = init.name;
    this.type = init.type;
    // A multiple option without a default is an empty list, as in Tornado.
    this.default = init.default === undefined && init.multiple ? [] : init.default;
    this.help = init.help;
    this.metavar = init.metavar;
    this.multiple = init.multiple;
    this.groupName = init.groupName;
    this.callback = init.callback as ((value: unknown) => void) | undefined;
    this.env = init.env;
  }

  value(): unknown {
    return this.#value === UNSET ? this.default : this.#value;
  }

  /**
   * Parses the command-line form: with `multiple`, a comma list, where an integer type also
   * takes "lo:hi" ranges (both ends included). Tornado: _Option.parse.
   */
  parse(text: string): unknown {
    let value: unknown;
    try {
      value = this.multiple ? this.#parseList(text) : this.type.parse(text);
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      // The type says what is wrong with the text; a command line has many options: name this one.
      throw new OptionsError(`Option ${JSON.stringify(this.name)}: ${error.message}`);
    }
    this.#assign(value);
    return value;
  }

  #parseList(text: string): unknown[] {
    const type = this.type;
    const values: unknown[] = [];
    for (const part of text.split(",")) {
      if (!type.integer) {
        values.push(type.parse(part));
        continue;
      }
      const [low, high] = part.split(":", 2) as [string, string | undefined];
      const lo = type.parse(low) as number;
      const hi = high ? (type.parse(high) as number) : lo;
      for (let n = lo; n <= hi; n++) values.push(n);
    }
    return values;
  }

  /** Sets a value of the option's type (no parsing); OptionsError otherwise. Tornado: _Option.set. */
  set(value: unknown): void {
    if (this.multiple) {
      if (!Array.isArray(value) || !value.every((item) => item === null || item === undefined || this.type.accepts(item))) {
        throw new OptionsError(`Option ${JSON.stringify(this.name)} is required to be a list of ${this.type.label}`);
      }
    } else if (value !== null && value !== undefined && !this.type.accepts(value)) {
      throw new OptionsError(
        `Option ${JSON.stringify(this.name)} is required to be a ${this.type.label} (${describe(value)} given)`,
      );
    }
    this.#assign(value);
  }

  #assign(value: unknown): void {
    this.#value = value;
    this.callback?.(value);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}
