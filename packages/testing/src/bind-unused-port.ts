/**
 * bindUnusedPort: a listening socket on an ephemeral loopback port, to hand to a server's
 * addSockets(). Tornado: testing.bind_unused_port.
 */

import * as net from "node:net";
import { TestingArgumentError } from "./errors";

export interface BindUnusedPortOptions {
  /** Default "127.0.0.1" (never all interfaces, as Tornado). */
  address?: string;
  /** SO_REUSEPORT, default false (Node 22.12+ only; ignored where unsupported). */
  reusePort?: boolean;
}

/** The listening socket and its port. */
export interface UnusedPort {
  server: net.Server;
  port: number;
}

/**
 * Binds a listening socket to port 0 on `address` and resolves with it and its port. The
 * socket accepts nothing until a server takes it over (HTTPServer.addSockets([server])), or
 * close it yourself.
 */
export function bindUnusedPort(options: BindUnusedPortOptions = {}): Promise<UnusedPort> {
  const { address = "127.0.0.1", reusePort = false } = options;
  if (typeof address !== "string" || net.isIP(address) === 0) {
    throw new TestingArgumentError(`address must be an IP address, got ${JSON.stringify(address)}`);
  }
  const server = net.createServer();
  return new Promise<UnusedPort>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: address, exclusive: true, ...(reusePort ? { reusePort: true } : {}) }, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as net.AddressInfo).port });
    });
  });
}
