/** The chat on a loopback port, on a LocalBroker, for one describe block; and a client that passes XSRF. */

import { accessLog, appLog, genLog, LocalBroker, LogLevel, startHTTPTestServer, type HTTPTestServer } from "@tornado/tornado";
import { ChatApplication, MAX_POST_SIZE } from "../src/app";
import { ChatRoom, type ChatStats } from "../src/chat-room";
import type { ChatMessage } from "../src/message";

const LOGGERS = [accessLog, appLog, genLog];
let levels: LogLevel[] = [];

/** Access lines and the warnings for the refusals these tests provoke stay out of the output; errors still print. */
export function quietLogs(): void {
  levels = LOGGERS.map((logger) => logger.level);
  for (const logger of LOGGERS) logger.level = LogLevel.ERROR;
}

export function restoreLogs(): void {
  LOGGERS.forEach((logger, index) => (logger.level = levels[index]!));
}

export interface Chat {
  readonly server: HTTPTestServer;
  readonly room: ChatRoom;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

export function useChat(): Chat {
  let server: HTTPTestServer | undefined;
  let room: ChatRoom | undefined;
  let broker: LocalBroker | undefined;
  beforeAll(async () => {
    quietLogs();
    broker = new LocalBroker();
    room = await ChatRoom.open(broker);
    server = await startHTTPTestServer(new ChatApplication(room), { httpServerOptions: { maxBodySize: MAX_POST_SIZE } });
  });
  afterAll(async () => {
    room?.buffer.close();
    await server?.stop();
    await room?.close();
    await broker?.close();
    restoreLogs();
  });
  return {
    get server() {
      return server!;
    },
    get room() {
      return room!;
    },
    get url() {
      return server!.url("").replace(/\/$/, "");
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

/** A visitor with the page's XSRF cookie (from GET /), posting forms as the page's script does. */
export class Visitor {
  private constructor(
    readonly url: string,
    readonly cookie: string,
    readonly xsrf: string,
  ) {}

  static async arrive(url: string): Promise<Visitor> {
    const response = await fetch(`${url}/`);
    await response.text();
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith("_xsrf="));
    if (setCookie === undefined) throw new Error("GET / set no _xsrf cookie");
    const value = setCookie.slice("_xsrf=".length).split(";")[0]!;
    return new Visitor(url, `_xsrf=${value}`, decodeURIComponent(value));
  }

  /** POSTs `fields` urlencoded, with `_xsrf` unless `xsrf` is false; redirects are not followed. */
  async post(path: string, fields: Record<string, string>, options: { xsrf?: boolean; signal?: AbortSignal } = {}): Promise<Answer> {
    const body = new URLSearchParams(options.xsrf === false ? fields : { ...fields, _xsrf: this.xsrf });
    const response = await fetch(`${this.url}${path}`, {
      method: "POST",
      body,
      headers: { cookie: this.cookie },
      redirect: "manual",
      signal: options.signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  /** Posts a message and returns it (fails the test unless 200). */
  async say(body: string): Promise<ChatMessage> {
    const answer = await this.post("/a/message/new", { body });
    if (answer.status !== 200) throw new Error(`POST /a/message/new answered ${answer.status}: ${answer.text}`);
    return answer.json();
  }

  /** The long poll: the messages after `cursor` (waits for some). */
  async updates(cursor?: string, signal?: AbortSignal): Promise<ChatMessage[]> {
    const answer = await this.post("/a/message/updates", cursor === undefined ? {} : { cursor }, { signal });
    if (answer.status !== 200) throw new Error(`POST /a/message/updates answered ${answer.status}: ${answer.text}`);
    return answer.json().messages;
  }
}

export async function stats(url: string): Promise<ChatStats> {
  return (await fetch(`${url}/a/stats`)).json() as Promise<ChatStats>;
}

/** Polls `condition` every 10 ms until it holds, failing after `seconds`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, seconds = 10): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
