/**
 * The receiver's command line (`--port=8888`, Tornado's demo listens on 8888), with `PORT` as
 * the fallback. Parsed with Node's `util.parseArgs` until @tornado/ioloop has Tornado's
 * `define`/`parseCommandLine` (issue 16).
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { APP_ROOT, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_POST_SIZE } from "./app";

export interface ReceiverOptions {
  port: number;
  address: string;
  uploadDir: string;
  maxFileSize: number;
  maxPostSize: number;
}

export const USAGE = `Usage: node dist/main.js [--port=8888] [--address=127.0.0.1] [--upload_dir=apps/file-upload/uploads]
       [--max_file_size=${DEFAULT_MAX_FILE_SIZE}] [--max_post_size=${DEFAULT_MAX_POST_SIZE}]
Environment: PORT (--port wins).`;

function integer(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^[0-9]{1,16}$/.test(text) || value > max) throw new Error(`--${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/** Parses `argv` (without node and the script) and `env`; throws with a message naming a bad value. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): ReceiverOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      address: { type: "string" },
      upload_dir: { type: "string" },
      max_file_size: { type: "string" },
      max_post_size: { type: "string" },
    },
    strict: true,
  });
  return {
    port: integer("port", values.port ?? env.PORT ?? "8888", 65535),
    address: values.address ?? "127.0.0.1",
    uploadDir: values.upload_dir ?? join(APP_ROOT, "uploads"),
    maxFileSize: integer("max_file_size", values.max_file_size ?? String(DEFAULT_MAX_FILE_SIZE), Number.MAX_SAFE_INTEGER),
    maxPostSize: integer("max_post_size", values.max_post_size ?? String(DEFAULT_MAX_POST_SIZE), Number.MAX_SAFE_INTEGER),
  };
}
