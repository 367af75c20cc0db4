import { appLog } from "@tornado/ioloop";
import { BrokerClosedError, LocalBroker, type BrokerMessage } from "@tornado/pubsub";
import { ExpectLog } from "@tornado/testing";
import { ArgumentRangeError, ArgumentTypeError } from "@tornado/util";

describe("LocalBroker", () => {
  it("delivers text as strings and bytes as Buffers, in order, after publish returns", async () => {
    const broker = new LocalBroker();
    const got: Array<[string | Buffer, BrokerMessage]> = [];
    await broker.subscribe("room", (payload, message) => got.push([payload, message]));
    const bytes = new Uint8Array([0, 255, 10, 13]);
    const first = broker.publish("room", "héllo");
    expect(got).toEqual([]); // never inside publish()
    const second = broker.publish("room", bytes);
    bytes[0] = 7; // the caller may reuse its buffer at once
    await Promise.all([first, second]);
    expect(got.map(([payload]) => payload)).toEqual(["héllo", Buffer.from([0, 255, 10, 13])]);
    expect(Buffer.isBuffer(got[1]![0])).toBe(true);
    expect(got.map(([, message]) => message)).toEqual([
      { channel: "room", origin: broker.id, own: true, sequence: 1 },
      { channel: "room", origin: broker.id, own: true, sequence: 2 },
    ]);
    expect(broker.id).toMatch(/^[0-9a-f]{32}$/);
    await broker.close();
  });

  it("gives each listener its own copy of bytes; channels are separate; skipOwn gets nothing", async () => {
    const broker = new LocalBroker();
    const a: Buffer[] = [];
    const b: Buffer[] = [];
    const skipped: unknown[] = [];
    const other: unknown[] = [];
    await broker.subscribe("c", (payload) => a.push(payload as Buffer));
    await broker.subscribe("c", (payload) => b.push(payload as Buffer));
    await broker.subscribe("c", (payload) => skipped.push(payload), { skipOwn: true });
    await broker.subscribe("d", (payload) => other.push(payload));
    await broker.publish("c", Buffer.from("xy"));
    a[0]![0] = 0x41;
    expect(b[0]!.toString()).toBe("xy");
    expect(skipped).toEqual([]);
    expect(other).toEqual([]);
    await broker.close();
  });

  it("unsubscribe ends one subscription and is idempotent", async () => {
    const broker = new LocalBroker();
    const got: string[] = [];
    const off1 = await broker.subscribe("c", (payload) => got.push(`1:${payload.toString()}`));
    await broker.subscribe("c", (payload) => got.push(`2:${payload.toString()}`));
    await broker.publish("c", "a");
    await off1();
    await off1();
    await broker.publish("c", "b");
    expect(got).toEqual(["1:a", "2:a", "2:b"]);
    await broker.close();
  });

  it("logs a listener's throw and still runs the others", async () => {
    const broker = new LocalBroker();
    const got: string[] = [];
    await broker.subscribe("c", () => {
      throw new Error("boom");
    });
    await broker.subscribe("c", (payload) => got.push(payload as string));
    await ExpectLog.run(appLog, /Exception in a broker listener on channel "c"/, () => broker.publish("c", "after"));
    expect(got).toEqual(["after"]);
    await broker.close();
  });

  it("checks its arguments and refuses use after close()", async () => {
    const broker = new LocalBroker();
    await expect(broker.publish("", "x")).rejects.toThrow(ArgumentRangeError);
    await expect(broker.publish(5 as unknown as string, "x")).rejects.toThrow(
      new ArgumentTypeError("channel must be a non-empty string, got 5"),
    );
    await expect(broker.publish("c", 5 as unknown as string)).rejects.toThrow(
      new ArgumentTypeError("payload must be a string or bytes, got 5"),
    );
    await expect(broker.subscribe("c", "f" as unknown as () => void)).rejects.toThrow(
      new ArgumentTypeError('listener must be a function, got "f"'),
    );
    const got: unknown[] = [];
    await broker.subscribe("c", (payload) => got.push(payload));
    const pending = broker.publish("c", "lost");
    await broker.close();
    await pending;
    expect(got).toEqual([]);
    await expect(broker.publish("c", "x")).rejects.toThrow(BrokerClosedError);
    await expect(broker.subscribe("c", () => undefined)).rejects.toBeInstanceOf(BrokerClosedError);
    await broker.close();
  });
});
