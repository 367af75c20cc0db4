/**
 * Listening sockets and address helpers: bindSockets, addAcceptHandler, isValidIp.
 * Tornado: tornado.netutil (bind_sockets, add_accept_handler, is_valid_ip).
 */

import * as dns from "node:dns";
import * as fs from "node:fs";
import * as net from "node:net";
import { ArgumentRangeError, ArgumentTypeError } from "@tornado/util";
import { AddressInUseError, NotSupportedError } from "../errors";
import { checkFamily, checkPort, type AddressFamily } from "./resolver";

/**
 * The listen backlog: Node's (net.Server's default), not Tornado's 128. A burst of new
 * connections beyond the accept queue waits on the client's SYN retries (1 s, then 3 s...); 511
 * holds what node:http holds. Linux caps it at net.core.somaxconn (4096 since 5.4).
 */
export const DEFAULT_BACKLOG = 511;

/** Options of bindSockets and TCPServer.listen. */
export interface BindOptions {
  /** 0 (default) for every family the address has, 4 or 6 to restrict. */
  family?: AddressFamily;
  /** Pending-connection queue length; default 511 (DEFAULT_BACKLOG, node:http's; Tornado: 128). */
  backlog?: number;
  /**
   * SO_REUSEPORT, so that unrelated processes can each listen on the same port and the kernel
   * spreads connections among them. Needs Node 22.12+ on Linux (or FreeBSD, Solaris, AIX);
   * elsewhere bindSockets throws NotSupportedError.
   */
  reusePort?: boolean;
}

/** The platforms where Node documents `reusePort` as supported. */
const REUSE_PORT_PLATFORMS = new Set<string>(["linux", "freebsd", "sunos", "aix"]);

/**
 * Why `reusePort` cannot be used here, or null when it can. Node gained it in server.listen in
 * 23.1 and 22.12 (earlier versions ignore it); it ends the process on a platform without
 * SO_REUSEPORT (nodejs/node#61018), so it is refused before listen.
 */
export function reusePortUnsupported(version = process.versions.node, platform: string = process.platform): string | null {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (!(major >= 23 || (major === 22 && minor >= 12))) {
    return `reusePort needs Node 22.12 or later (SO_REUSEPORT), this is ${version}`;
  }
  if (!REUSE_PORT_PLATFORMS.has(platform)) return `reusePort (SO_REUSEPORT) is not supported on ${platform}`;
  return null;
}

/** True when `reusePort` works with this Node on this platform. */
export function supportsReusePort(version = process.versions.node, platform: string = process.platform): boolean {
  return reusePortUnsupported(version, platform) === null;
}

/**
 * Connections a listening server accepted before addAcceptHandler gave it a handler. A Node
 * server accepts as soon as it listens (Tornado's sockets wait in the kernel's backlog until
 * add_accept_handler), and a cluster worker can even get a connection from its primary in the
 * same IPC read as the reply to its listen: such a connection, with no 'connection' listener,
 * would be left open and unanswered. They are held, paused, and handed to the first handler.
 */
const heldConnections = new WeakMap<net.Server, { sockets: Map<net.Socket, () => void>; hold: (socket: net.Socket) => void }>();

function holdConnections(server: net.Server): void {
  const sockets = new Map<net.Socket, () => void>();
  const hold = (socket: net.Socket): void => {
    const forget = (): void => void sockets.delete(socket);
    sockets.set(socket, forget);
    socket.once("close", forget);
  };
  server.on("connection", hold);
  heldConnections.set(server, { sockets, hold });
}

function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      const inUse = (error as { code?: string }).code === "EADDRINUSE";
      reject(inUse ? new AddressInUseError(options.port ?? 0, options.host ?? "", { cause: error }) : error);
    };
    server.once("error", onError);
    server.listen(options, () => {
      server.removeListener("error", onError);
      resolve();
    });
  });
}

function closeAll(servers: net.Server[]): void {
  for (const server of servers) server.close();
}

/**
 * Creates listening servers (not yet accepting: give them to addAcceptHandler or
 * TCPServer.addSockets) for `address` on `port`.
 *
 * - No address (or ""): every interface. With family 0 that is one dual-stack server on "::"
 *   (IPv4 and IPv6; Tornado binds two sockets), or "0.0.0.0" where IPv6 is unavailable.
 * - A host name: one server per address it resolves to, IPv6 ones with IPV6_V6ONLY.
 * - Port 0 picks one ephemeral port and uses it for every address.
 * Node sets SO_REUSEADDR on listening sockets itself, as Tornado does.
 *
 * @param port 0 to 65535 (0 = an ephemeral port).
 * Tornado: tornado.netutil.bind_sockets.
 */
export async function bindSockets(
  port: number,
  address?: string | null,
  options: BindOptions = {},
): Promise<net.Server[]> {
  checkPort(port);
  const family = checkFamily(options.family);
  const backlog = options.backlog ?? DEFAULT_BACKLOG;
  if (!Number.isInteger(backlog) || backlog < 0) {
    throw new ArgumentRangeError(`backlog must be a non-negative integer, got ${String(backlog)}`);
  }
  if (address !== undefined && address !== null && typeof address !== "string") {
    throw new ArgumentTypeError(`address must be a string, got ${typeof address}`);
  }
  const reusePort = options.reusePort === true;
  const unsupported = reusePort ? reusePortUnsupported() : null;
  if (unsupported !== null) throw new NotSupportedError(unsupported);

  let hosts: Array<{ host: string; ipv6Only: boolean }>;
  if (!address) {
    hosts =
      family === 4
        ? [{ host: "0.0.0.0", ipv6Only: false }]
        : family === 6
          ? [{ host: "::", ipv6Only: true }]
          : [{ host: "::", ipv6Only: false }];
  } else if (net.isIP(address) !== 0) {
    if (family !== 0 && net.isIP(address) !== family) {
      throw new ArgumentRangeError(`address ${address} is not an IPv${family} address`);
    }
    hosts = [{ host: address, ipv6Only: net.isIPv6(address) }];
  } else {
    const found = await dns.promises.lookup(address, { all: true, family, verbatim: true });
    const seen = new Set<string>();
    hosts = [];
    for (const entry of found) {
      if (seen.has(entry.address)) continue;
      seen.add(entry.address);
      hosts.push({ host: entry.address, ipv6Only: entry.family === 6 });
    }
  }

  const servers: net.Server[] = [];
  let boundPort = port;
  try {
    for (const { host, ipv6Only } of hosts) {
      const server = net.createServer();
      holdConnections(server);
      const listenOptions: net.ListenOptions & { reusePort?: boolean } = {
        port: boundPort,
        host,
        backlog,
        ipv6Only,
      };
      if (reusePort) listenOptions.reusePort = true;
      try {
        await listen(server, listenOptions);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // No IPv6 on this host: fall back to IPv4 for "every interface".
        if (!address && family === 0 && (code === "EAFNOSUPPORT" || code === "EADDRNOTAVAIL")) {
          await listen(server, { ...listenOptions, host: "0.0.0.0", ipv6Only: false });
        } else {
          throw error;
        }
      }
      servers.push(server);
      if (boundPort === 0) boundPort = (server.address() as net.AddressInfo).port;
    }
  } catch (error) {
    closeAll(servers);
    throw error;
  }
  return servers;
}

/** The peer address as Tornado gives it: `[host, port]`, or a path for a Unix socket. */
export type PeerAddress = [host: string, port: number] | string;

/** Called for each accepted connection. */
export type AcceptCallback = (socket: net.Socket, address: PeerAddress) => void;

/**
 * Calls `callback(socket, address)` for every connection `server` accepts, and returns a
 * function that stops that (it does not close the server). Tornado: add_accept_handler.
 */
export function addAcceptHandler(server: net.Server, callback: AcceptCallback): () => void {
  if (!(server instanceof net.Server)) {
    throw new ArgumentTypeError(`server must be a net.Server, got ${String(server)}`);
  }
  if (typeof callback !== "function") {
    throw new ArgumentTypeError(`callback must be a function, got ${typeof callback}`);
  }
  const onConnection = (socket: net.Socket): void => {
    // No remote address: a Unix socket, whose server's address() is its path.
    const local = socket.remoteAddress === undefined ? server.address() : null;
    const address: PeerAddress =
      socket.remoteAddress !== undefined
        ? [socket.remoteAddress, socket.remotePort ?? 0]
        : typeof local === "string" ? local : "";
    callback(socket, address);
  };
  server.on("connection", onConnection);
  const held = heldConnections.get(server);
  if (held !== undefined) {
    heldConnections.delete(server);
    server.off("connection", held.hold);
    for (const [socket, forget] of held.sockets) {
      socket.off("close", forget);
      onConnection(socket);
    }
  }
  return () => {
    server.removeListener("connection", onConnection);
  };
}

/** True if `ip` is an IPv4 or IPv6 address literal (no host names). Tornado: is_valid_ip. */
export function isValidIp(ip: string): boolean {
  if (typeof ip !== "string" || ip === "" || ip.includes("\0")) return false;
  return net.isIP(ip) !== 0;
}

/**
 * Creates a listening Unix domain socket at `file` (not yet accepting: give it to
 * addAcceptHandler or TCPServer.addSocket). A stale socket file left at that path is removed
 * first; any other existing file is an error. A name starting with "\0" is in Linux's abstract
 * namespace (no file, no mode).
 *
 * @param mode permissions of the socket file, default 0o600
 * @param backlog pending-connection queue length, default 511 (DEFAULT_BACKLOG)
 * Tornado: tornado.netutil.bind_unix_socket.
 */
export async function bindUnixSocket(file: string, mode = 0o600, backlog = DEFAULT_BACKLOG): Promise<net.Server> {
  if (typeof file !== "string" || file === "") {
    throw new ArgumentTypeError(`file must be a non-empty path, got ${JSON.stringify(file)}`);
  }
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new ArgumentRangeError(`mode must be file permissions such as 0o600, got ${String(mode)}`);
  }
  if (!Number.isInteger(backlog) || backlog < 0) {
    throw new ArgumentRangeError(`backlog must be a non-negative integer, got ${String(backlog)}`);
  }
  const abstract = file.startsWith("\0");
  if (!abstract) {
    const stat = await fs.promises.lstat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (stat !== null) {
      if (!stat.isSocket()) throw new ArgumentRangeError(`File ${file} exists and is not a socket`);
      await fs.promises.unlink(file);
    }
  }
  const server = net.createServer();
  await listen(server, { path: file, backlog });
  if (!abstract) await fs.promises.chmod(file, mode);
  return server;
}
