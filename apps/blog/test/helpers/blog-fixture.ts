/**
 * One blog per describe block on a backend: its own database, served on a loopback port,
 * tables emptied before each test; plus the steps most tests start with.
 */

import { accessLog, genLog, LogLevel, startHTTPTestServer, type HTTPTestServer } from "@tornado/tornado";
import { BlogApplication } from "../../src/app";
import type { Database } from "../../src/database";
import { MAX_BODY_SIZE } from "../../src/form";
import type { Backend, OpenedDatabase } from "./databases";
import { Visitor } from "./visitor";

export const SECRET = "test secret, long enough to sign cookies";
export const AUTHOR = { email: "ada@example.com", name: "Ada", password: "correct horse battery staple" };

export interface BlogFixture {
  readonly db: Database;
  readonly server: HTTPTestServer;
  readonly url: string;
  visitor(): Visitor;
  /** The first author, created through /auth/create; resolves with the visitor, logged in. */
  signUp(visitor?: Visitor): Promise<Visitor>;
  count(table: "authors" | "entries" | "sessions"): Promise<number>;
}

export function useBlog(backend: Backend): BlogFixture {
  let database: OpenedDatabase | undefined;
  let server: HTTPTestServer | undefined;
  let levels: LogLevel[] = [];
  beforeAll(async () => {
    // 4xx answers are what these tests provoke: keep their access lines and warnings out of
    // the output (errors still print).
    levels = [accessLog.level, genLog.level];
    accessLog.level = genLog.level = LogLevel.ERROR;
    database = await backend.open();
    const app = new BlogApplication(database.db, { cookieSecret: SECRET });
    server = await startHTTPTestServer(app, { httpServerOptions: { maxBodySize: MAX_BODY_SIZE } });
  });
  beforeEach(async () => {
    await database!.db.query("TRUNCATE sessions, entries, authors RESTART IDENTITY CASCADE");
  });
  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
    [accessLog.level, genLog.level] = levels;
  });
  const fixture: BlogFixture = {
    get db() {
      return database!.db;
    },
    get server() {
      return server!;
    },
    get url() {
      return server!.url("").replace(/\/$/, "");
    },
    visitor: () => new Visitor(fixture.url),
    async signUp(visitor = fixture.visitor()) {
      const response = await visitor.post("/auth/create", { ...AUTHOR, next: "/compose" });
      if (response.status !== 302) throw new Error(`sign-up failed: ${response.status} ${response.text}`);
      return visitor;
    },
    async count(table) {
      const [row] = await database!.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return row.n;
    },
  };
  return fixture;
}
