// Keeps the README's "IOStream, TCPServer, TCPClient, netutil" section true: it names every
// network export, shows the benchmark command, and its echo example (under 20 lines) runs and
// prints what it says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ioloop from "@tornado/ioloop";
import { readmeExample, runReadmeExample } from "./readme-example";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
const section = readme.split("\n## IOStream, TCPServer, TCPClient, netutil\n")[1]!.split("\n## ")[0]!;

describe("README network section", () => {
  test("names every network export", () => {
    const names = [
      "IOStream", "SSLIOStream", "wrapTlsSocket", "TCPServer", "TCPClient", "bindSockets",
      "addAcceptHandler", "isValidIp", "Resolver", "DefaultResolver", "OverrideResolver",
      "SSLOptions", "IOStreamOptions", "SSLIOStreamOptions", "DetachedSocket", "TCPServerOptions",
      "StopOptions", "ConnectOptions", "AddressFamily", "ResolvedAddress", "OverrideTarget",
      "BindOptions", "AcceptCallback", "PeerAddress",
    ];
    for (const name of names) expect(section).toMatch(new RegExp(`\`(new )?${name}\\b`));
    for (const name of names.slice(0, 11)) expect(ioloop).toHaveProperty(name);
  });

  test("shows the benchmark command", () => {
    expect(section).toContain("node bench/iostream/run.js");
  });

  test("the echo example runs and prints what the README says", async () => {
    const example = section.split("\n### Echo server and client\n")[1]!;
    const { code, expected } = readmeExample(example);
    expect(code.split("\n").filter(Boolean).length).toBeLessThan(20);
    expect(await runReadmeExample(code)).toBe(expected);
  });
});
