/**
 * Log files that rotate by size or by time, as Python's RotatingFileHandler and
 * TimedRotatingFileHandler, which Tornado's enable_pretty_logging uses for `log_file_prefix`.
 * Writes are synchronous appends, as Python's, so a line is on disk when log() returns.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { ArgumentRangeError } from "@tornado/util";
import { strftime } from "./log-formatter";

export interface RotatingFileOptions {
  /** "size" (default) or "time". Tornado: log_rotate_mode. */
  mode?: "size" | "time";
  /** Bytes before a size rollover; 0 never rolls. Default 100,000,000. Tornado: log_file_max_size. */
  maxBytes?: number;
  /** Old files kept (file.1, file.2, ... or dated names); 0 keeps all for time, none for size. Default 10. */
  backupCount?: number;
  /** Time rollover unit: "S", "M", "H", "D", "midnight", "W0"-"W6" (Monday = W0). Default "midnight". */
  when?: string;
  /** Units of `when` per file. Default 1. */
  interval?: number;
}

// Python's TimedRotatingFileHandler: seconds per unit and the suffix of old files.
const UNITS: Record<string, [number, string, RegExp]> = {
  S: [1, "%Y-%m-%d_%H-%M-%S", /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/],
  M: [60, "%Y-%m-%d_%H-%M", /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}$/],
  H: [3600, "%Y-%m-%d_%H", /^\d{4}-\d{2}-\d{2}_\d{2}$/],
  D: [86400, "%Y-%m-%d", /^\d{4}-\d{2}-\d{2}$/],
  MIDNIGHT: [86400, "%Y-%m-%d", /^\d{4}-\d{2}-\d{2}$/],
  W: [604800, "%Y-%m-%d", /^\d{4}-\d{2}-\d{2}$/],
};

/** Appends lines to `file`, rolling it over by size or time. */
export class RotatingFileHandler {
  readonly file: string;
  readonly mode: "size" | "time";
  readonly maxBytes: number;
  readonly backupCount: number;
  readonly #unit: [number, string, RegExp] | null = null;
  readonly #when: string;
  readonly #interval: number;
  #fd: number;
  #size: number;
  #rolloverAt = Infinity;

  constructor(file: string, options: RotatingFileOptions = {}) {
    this.file = path.resolve(file);
    this.mode = options.mode ?? "size";
    if (this.mode !== "size" && this.mode !== "time") {
      throw new ArgumentRangeError(`The value of log_rotate_mode option should be "size" or "time", not "${String(this.mode)}".`);
    }
    this.maxBytes = options.maxBytes ?? 100_000_000;
    this.backupCount = options.backupCount ?? 10;
    this.#when = (options.when ?? "midnight").toUpperCase();
    this.#interval = options.interval ?? 1;
    if (this.mode === "time") {
      const unit = UNITS[this.#when.startsWith("W") ? "W" : this.#when];
      if (unit === undefined || (this.#when.startsWith("W") && !/^W[0-6]$/.test(this.#when))) {
        throw new ArgumentRangeError(`log_rotate_when must be S, M, H, D, midnight or W0-W6, got ${JSON.stringify(options.when)}`);
      }
      this.#unit = unit;
    }
    this.#fd = fs.openSync(this.file, "a");
    this.#size = fs.fstatSync(this.#fd).size;
    if (this.#unit !== null) this.#rolloverAt = this.#nextRollover(Date.now());
  }

  /** Writes `line` and a newline, rolling over first if due. */
  write(line: string): void {
    const data = Buffer.from(line + "\n", "utf8");
    if (this.#shouldRollover(data.length)) this.#rollover();
    fs.writeSync(this.#fd, data);
    this.#size += data.length;
  }

  close(): void {
    if (this.#fd >= 0) fs.closeSync(this.#fd);
    this.#fd = -1;
  }

  #shouldRollover(length: number): boolean {
    if (this.mode === "size") return this.maxBytes > 0 && this.#size > 0 && this.#size + length >= this.maxBytes;
    return Date.now() >= this.#rolloverAt;
  }

  #rollover(): void {
    fs.closeSync(this.#fd);
    if (this.mode === "size") {
      if (this.backupCount > 0) {
        for (let i = this.backupCount - 1; i >= 1; i--) renameIfExists(`${this.file}.${i}`, `${this.file}.${i + 1}`);
        renameIfExists(this.file, `${this.file}.1`);
      } else {
        fs.truncateSync(this.file, 0);
      }
    } else {
      const [seconds, suffix] = this.#unit as [number, string, RegExp];
      const start = new Date(this.#rolloverAt - seconds * this.#interval * 1000);
      renameIfExists(this.file, `${this.file}.${strftime(suffix, start)}`);
      this.#deleteOldFiles();
      this.#rolloverAt = this.#nextRollover(Date.now());
    }
    this.#fd = fs.openSync(this.file, "a");
    this.#size = 0;
  }

  #nextRollover(now: number): number {
    const [seconds] = this.#unit as [number, string, RegExp];
    if (this.#when !== "MIDNIGHT" && !this.#when.startsWith("W")) return now + seconds * this.#interval * 1000;
    const next = new Date(now);
    next.setHours(24, 0, 0, 0);
    if (this.#when.startsWith("W")) {
      // Python's weekday(): Monday = 0; JavaScript's getDay(): Sunday = 0.
      const wanted = Number(this.#when[1]);
      while ((next.getDay() + 6) % 7 !== (wanted + 1) % 7) next.setDate(next.getDate() + 1);
    } else {
      next.setDate(next.getDate() + this.#interval - 1);
    }
    return next.getTime();
  }

  #deleteOldFiles(): void {
    if (this.backupCount <= 0) return;
    const [, , pattern] = this.#unit as [number, string, RegExp];
    const base = path.basename(this.file) + ".";
    const old = fs
      .readdirSync(path.dirname(this.file))
      .filter((name) => name.startsWith(base) && pattern.test(name.slice(base.length)))
      .sort();
    for (const name of old.slice(0, Math.max(0, old.length - this.backupCount))) {
      fs.rmSync(path.join(path.dirname(this.file), name), { force: true });
    }
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
}
