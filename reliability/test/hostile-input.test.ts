// Oversized and malformed input at every layer (lib/hostile.js): each case gets its status or
// WebSocket close code, costs under a second of server CPU (read from /proc), and the server
// answers a normal request right after.
import { startServer } from "../lib/harness";
import { cases, hostileInput } from "../lib/hostile";

type Server = Awaited<ReturnType<typeof startServer>>;
type HostileRecord = Awaited<ReturnType<typeof hostileInput>>[number];

let server: Server;
const records = new Map<string, HostileRecord>();

beforeAll(async () => {
  server = await startServer("tornado");
  for (const record of await hostileInput(server)) records.set(record.name, record);
}, 180000);
afterAll(() => server.stop());

const names = cases()
  .filter(([, , , , kinds]) => kinds.includes("tornado"))
  .map(([name, layer]) => [name, layer] as const);

it.each(names)("%s (%s)", (name) => {
  const record = records.get(name)!;
  expect({ answer: record.closeCode ?? record.status, ok: record.ok }).toEqual({ answer: record.closeCode ?? record.status, ok: true });
  expect(record.serverCpuSeconds).toBeLessThan(1);
  expect(record.healthy).toBe(true);
});

it("the server logged no error for any of it (bad input is not a fault of the code)", () => {
  expect(server.stderr.split("\n").filter((line: string) => /^[EC] /.test(line) && !line.startsWith("E tornado.access "))).toEqual([]);
});
