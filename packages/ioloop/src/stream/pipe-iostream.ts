/**
 * PipeIOStream: an IOStream over a pipe (a file descriptor, or the pipe socket Node gives for
 * a child's stdin, stdout or stderr). Pipes go one way: read from one, write to the other.
 *
 * Tornado: tornado.iostream.PipeIOStream.
 */

import * as net from "node:net";
import { ArgumentTypeError, describeValue } from "@tornado/util";
import { IOStream, type IOStreamOptions } from "./iostream";

/**
 * @example
 * const proc = new Subprocess(["ls"], { stdout: Subprocess.STREAM });
 * const listing = await proc.stdout.readUntilClose(); // proc.stdout is a PipeIOStream
 */
export class PipeIOStream extends IOStream {
  /** The file descriptor, when the stream was made from one. Tornado: PipeIOStream.fd. */
  readonly fd: number | null;

  /**
   * @param pipe a file descriptor of a pipe (Tornado's form), or a socket over one (such as
   *   a child process's `stdout`).
   */
  constructor(pipe: number | net.Socket, options: IOStreamOptions = {}) {
    let socket: net.Socket;
    if (typeof pipe === "number") {
      if (!Number.isInteger(pipe) || pipe < 0) throw new ArgumentTypeError(`fd must be a file descriptor, got ${describeValue(pipe)}`);
      socket = new net.Socket({ fd: pipe, readable: true, writable: true });
    } else if (pipe instanceof net.Socket) {
      socket = pipe;
    } else {
      throw new ArgumentTypeError(`pipe must be a file descriptor or a net.Socket, got ${describeValue(pipe)}`);
    }
    super(socket, options);
    this.fd = typeof pipe === "number" ? pipe : null;
  }
}
