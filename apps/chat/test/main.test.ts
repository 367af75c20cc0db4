/**
 * node dist/main.js as `pnpm start` runs it: the command line, a graceful SIGTERM with a long
 * poll parked, WORKERS=n on one port, and with REDIS_URL every worker's long polls getting
 * the messages posted to any of them (a real redis-server; test/browser.test.ts has the
 * sockets of two processes talking).
 */

import { itWithRedisServer, startRedisServer } from "@tornado/tornado";
import { ChatProcess } from "./chat-process";
import { stats, Visitor, waitFor } from "./helpers";

const started: ChatProcess[] = [];
function start(args: string[], env: NodeJS.ProcessEnv = {}): ChatProcess {
  const chat = new ChatProcess(args, env);
  started.push(chat);
  return chat;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((chat) => chat.stop()));
});

/** A cursorless long poll on a fresh connection, with the pid of the process that answered. */
async function pollFresh(visitor: Visitor): Promise<{ pid: number; bodies: string[] }> {
  const response = await fetch(`${visitor.url}/a/message/updates`, {
    method: "POST",
    body: new URLSearchParams({ _xsrf: visitor.xsrf }),
    headers: { cookie: visitor.cookie, connection: "close" },
  });
  const { messages } = (await response.json()) as { messages: Array<{ body: string }> };
  return { pid: Number(response.headers.get("x-chat-process")), bodies: messages.map((message) => message.body) };
}

describe("node dist/main.js", () => {
  it("serves the page on --port, and on SIGTERM answers the parked long polls and exits 0", async () => {
    const chat = start(["--port=0"]);
    const { url, pids } = await chat.serving();
    expect(chat.output).toContain(`(process ${pids[0]}, messages through this process only)`);
    const visitor = await Visitor.arrive(url);
    const parked = visitor.updates();
    await waitFor(async () => (await stats(url)).waiting === 1);
    expect(await chat.stop()).toBe(0);
    expect(await parked).toEqual([]);
    expect(chat.output).toContain("SIGTERM received, shutting down");
  });

  it("takes the port from PORT when --port is not given", async () => {
    const { url } = await start([], { PORT: "0" }).serving();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(url).not.toBe("http://127.0.0.1:8888");
  });

  // Tornado's parse_command_line: --help prints the options and exits 0; a bad option is an
  // OptionsError (after the help, for an unknown one) and the process exits 1.
  it.each([
    [["--help"], {}, 0, "--redis-url=URL"],
    [["--port=http"], {}, 1, 'the chat could not start\n    OptionsError: Option "port": invalid integer: "http"'],
    [["--workers=two"], {}, 1, 'OptionsError: Option "workers": invalid integer: "two"'],
    [[], { WORKERS: "two" }, 1, 'OptionsError: environment variable WORKERS: Option "workers": invalid integer: "two"'],
    [["--prot=80"], {}, 1, 'OptionsError: Unrecognized command line option: "prot"'],
  ])("%j %j: exit status %d, %j", async (args, env, status, message) => {
    const chat = start(args, env);
    expect(await chat.exited).toBe(status);
    expect(chat.output).toContain(message);
  });

  it("says why and exits 1 when Redis cannot be reached", async () => {
    const chat = start(["--port=0", "--redis_url=redis://127.0.0.1:1"]);
    expect(await chat.exited).toBe(1);
    expect(chat.output).toContain("the chat could not start");
  });

  it("with WORKERS=2 and no REDIS_URL runs two processes on one port and says that messages stay in their process", async () => {
    const chat = start(["--port=0"], { WORKERS: "2" });
    const { url, pids } = await chat.serving(2);
    expect(new Set(pids).size).toBe(2);
    expect(chat.output).toContain("2 workers without REDIS_URL: each process has its own LocalBroker, so a message reaches only the clients of the process that took it");
    expect([...chat.output.matchAll(/Tornado chat on (http:\/\/\S+)\//g)].map((line) => line[1])).toEqual([url, url]);
    expect(await chat.stop()).toBe(0);
  });

  itWithRedisServer("with WORKERS=2 and REDIS_URL, a message posted to one worker answers the long polls of both", async () => {
    const redis = await startRedisServer();
    try {
      const chat = start(["--port=0"], { WORKERS: "2", REDIS_URL: redis.url });
      const { url, pids } = await chat.serving(2);
      expect(chat.output).toContain(`messages through Redis at ${redis.url}`);
      const visitor = await Visitor.arrive(url);
      // Fresh connections: the primary hands them to the workers in turn.
      const polls = Array.from({ length: 6 }, () => pollFresh(visitor));
      await visitor.say("to every worker");
      const answers = await Promise.all(polls);
      expect(new Set(answers.map((answer) => answer.pid))).toEqual(new Set(pids));
      for (const answer of answers) expect(answer.bodies).toEqual(["to every worker"]);
      expect(await chat.stop()).toBe(0);
    } finally {
      await redis.stop();
    }
  });
});
