// listen() on a port that is taken rejects with AddressInUseError naming the port and address.
import { createServer } from "node:net";
import { AddressInUseError, bindSockets, TCPServer } from "@tornado/ioloop";
import { isTornadoError } from "@tornado/util";

describe("AddressInUseError", () => {
  it("is what bindSockets and TCPServer.listen reject with on a busy port", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    try {
      const error = await bindSockets(port, "127.0.0.1").then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(AddressInUseError);
      expect(isTornadoError(error)).toBe(true);
      expect(error).toMatchObject({
        name: "AddressInUseError",
        code: "TORNADO_ERR_NETUTIL_ADDRESS_IN_USE",
        port,
        address: "127.0.0.1",
        message: `port ${port} is already in use on 127.0.0.1: another process listens there; stop it or choose another port`,
      });
      expect((error as AddressInUseError).cause).toMatchObject({ code: "EADDRINUSE" });
      const server = new TCPServer();
      await expect(server.listen(port, "127.0.0.1")).rejects.toBeInstanceOf(AddressInUseError);
      expect(server.boundPorts()).toEqual([]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('says "every interface" when no address was given', () => {
    expect(new AddressInUseError(8888, "::").message).toBe(
      "port 8888 is already in use on :: (every interface): another process listens there; stop it or choose another port",
    );
  });
});
