// bindUnusedPort and the open-handle check (Tornado: bind_unused_port; AsyncTestCase's fd check).
import * as net from "node:net";
import * as os from "node:os";
import {
  OpenHandleTracker,
  OpenHandlesError,
  TestingArgumentError,
  bindUnusedPort,
  expectNoOpenHandles,
  useOpenHandleCheck,
} from "@tornado/testing";

test("bindUnusedPort listens on an ephemeral loopback port", async () => {
  const { server, port } = await bindUnusedPort();
  try {
    expect(port).toBeGreaterThan(0);
    expect(server.address()).toMatchObject({ address: "127.0.0.1", port });
    const other = await bindUnusedPort();
    expect(other.port).not.toBe(port);
    other.server.close();
  } finally {
    server.close();
  }
});

const hasIPv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((info) => info?.address === "::1");

test("bindUnusedPort refuses a name for an address", () => {
  expect(() => bindUnusedPort({ address: "localhost" })).toThrow(TestingArgumentError);
});

(hasIPv6Loopback ? test : test.skip)("bindUnusedPort on ::1 (needs IPv6 loopback on this machine)", async () => {
  const v6 = await bindUnusedPort({ address: "::1" });
  try {
    expect(v6.server.address()).toMatchObject({ address: "::1" });
  } finally {
    v6.server.close();
  }
});

test("expectNoOpenHandles passes when everything is closed", async () => {
  await expectNoOpenHandles(async () => {
    const { server, port } = await bindUnusedPort();
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    const timer = setTimeout(() => undefined, 10_000);
    clearTimeout(timer);
  });
});

test("a leaked server and timers are reported by type", async () => {
  const tracker = new OpenHandleTracker({ settle: 0.05 });
  const { server } = await bindUnusedPort();
  // Two timers: counts are compared by type, and a timer of the runner's that was active at
  // the snapshot may have ended since.
  const timers = [setTimeout(() => undefined, 10_000), setTimeout(() => undefined, 10_000)];
  try {
    const error = await tracker.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenHandlesError);
    const leaked = (error as OpenHandlesError).leaked;
    expect(leaked["TCPServerWrap"]).toBe(1);
    expect(leaked["Timeout"]).toBeGreaterThanOrEqual(1);
    expect((error as OpenHandlesError).message).toMatch(/^test left open handles behind: TCPServerWrap x1, Timeout x\d+$/);
    expect((error as OpenHandlesError).code).toBe("TORNADO_ERR_TESTING_OPEN_HANDLES");
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await new Promise((resolve) => server.close(resolve));
  }
  await tracker.check();
});

test("a socket closed by the peer a little later is waited for", async () => {
  await expectNoOpenHandles(async () => {
    const { server, port } = await bindUnusedPort();
    server.on("connection", (socket) => socket.end());
    const socket = net.connect(port, "127.0.0.1");
    socket.resume();
    socket.on("end", () => socket.end());
    await new Promise((resolve) => socket.once("connect", resolve));
    server.close();
  });
});

describe("useOpenHandleCheck", () => {
  // In the outer block, so its afterEach runs after the inner one that closes the server.
  useOpenHandleCheck({ settle: 0.5 });
  describe("inner", () => {
    let opened: net.Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => opened?.close(resolve));
    });

    test("sees nothing left when the test's own afterEach closes what it opened", async () => {
      opened = (await bindUnusedPort()).server;
    });
  });
});
