/**
 * OpenStreams, the list of an HTTP/2 connection's open streams (a linked list rather than a Set:
 * see open-streams.ts), and HTTP2ServerConnection.streams, which reads it.
 */

import { OpenStreams, type OpenStreamLinks } from "../src/http2/open-streams";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { HTTPServer, type HTTPServerRequest } from "../src/index";
import { delay } from "./helpers";
import { closeH2, connectH2, h2Request } from "./http2-helpers";

class Member implements OpenStreamLinks<Member> {
  openPrevious: Member | null = null;
  openNext: Member | null = null;
  constructor(readonly name: string) {}
}

const names = (list: OpenStreams<Member>): string[] => [...list].map((member) => member.name);

describe("OpenStreams", () => {
  it("adds, removes from the head, the middle and the tail, and counts", () => {
    const list = new OpenStreams<Member>();
    const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => new Member(name));
    for (const member of [a, b, c, d]) list.add(member!);
    expect(names(list)).toEqual(["d", "c", "b", "a"]);
    expect(list.size).toBe(4);
    list.delete(c!); // middle
    list.delete(d!); // head
    list.delete(a!); // tail
    expect(names(list)).toEqual(["b"]);
    expect(list.size).toBe(1);
    list.delete(b!);
    expect(names(list)).toEqual([]);
    expect(list.size).toBe(0);
    expect([a, b, c, d].every((member) => member!.openPrevious === null && member!.openNext === null)).toBe(true);
  });

  it("ignores a member that is not in the list, or removed twice", () => {
    const list = new OpenStreams<Member>();
    const [a, b] = [new Member("a"), new Member("b")];
    list.add(a);
    list.delete(b);
    list.delete(a);
    list.delete(a);
    expect(list.size).toBe(0);
    list.add(b);
    expect(names(list)).toEqual(["b"]);
  });
});

describe("HTTP2ServerConnection.streams", () => {
  it("lists the streams open now, and none once they are done", async () => {
    const seen: number[] = [];
    let arrived = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = new HTTPServer(
      async (request: HTTPServerRequest) => {
        if (++arrived === 2) release();
        await released;
        const connection = [...server.http2Connections][0]!;
        seen.push(connection.streams.size);
        const body = Buffer.from("done");
        void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), new HTTPHeaders({ "Content-Length": "4" }), body);
        request.connection!.finish();
      },
      { http2: true },
    );
    await server.listen(0, "127.0.0.1");
    const session = await connectH2(server.boundPorts()[0]!);
    try {
      const responses = await Promise.all([h2Request(session, { ":path": "/1" }), h2Request(session, { ":path": "/2" })]);
      expect(responses.map((response) => response.body.toString())).toEqual(["done", "done"]);
      expect(seen).toEqual([2, 2]);
      // The server's streams close a moment after the client has the responses.
      const connection = [...server.http2Connections][0]!;
      for (const deadline = Date.now() + 2000; connection.streams.size > 0 && Date.now() < deadline; ) await delay(5);
      expect(connection.streams.size).toBe(0);
    } finally {
      await closeH2(session);
      server.stop();
      await server.closeAllConnections();
    }
  });
});
