/**
 * The databases the blog's tests run on: PGlite always (a copy of the data directory made by
 * global-setup.js), and a PostgreSQL server when TEST_DATABASE_URL is set (CI starts one with
 * scripts/test-postgres.sh). Each opened database is a fresh PGlite directory or a fresh
 * schema on the server, dropped afterwards; the tables are created by the app, as on a first
 * start.
 */

import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../../src/database";

export interface OpenedDatabase {
  db: Database;
  /** The `--data_dir` or `DATABASE_URL` to give a blog process for the same database. */
  location: { dataDir: string } | { url: string };
  /** Closes the database and removes what it was made of. */
  dispose(): Promise<void>;
}

export interface Backend {
  name: string;
  /** Why this backend cannot run here, or null. */
  missing: string | null;
  /** An empty database with the blog's tables, plus how a process reaches the same one. */
  open(): Promise<OpenedDatabase>;
  /** Like open(), without connecting: for a blog process that creates the tables itself. */
  reserve(): Promise<{ location: OpenedDatabase["location"]; dispose(): Promise<void> }>;
}

const POSTGRES_URL = process.env.TEST_DATABASE_URL || undefined;

async function reservePGlite() {
  const template = process.env.BLOG_PGLITE_TEMPLATE;
  if (!template) throw new Error("BLOG_PGLITE_TEMPLATE is not set: run the blog's tests through its jest.config.js");
  const dir = await mkdtemp(join(tmpdir(), "blog-test-"));
  const dataDir = join(dir, "data");
  await cp(template, dataDir, { recursive: true });
  return { location: { dataDir }, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function reservePostgres() {
  const schema = `blog_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL!);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    location: { url: url.toString() },
    async dispose() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

async function opened(reserved: { location: OpenedDatabase["location"]; dispose(): Promise<void> }): Promise<OpenedDatabase> {
  const { location } = reserved;
  const db = await openDatabase(location);
  return {
    db,
    location,
    async dispose() {
      await db.close();
      await reserved.dispose();
    },
  };
}

export const BACKENDS: Backend[] = [
  { name: "PGlite", missing: null, reserve: reservePGlite, open: async () => opened(await reservePGlite()) },
  {
    name: "PostgreSQL",
    missing: POSTGRES_URL ? null : "TEST_DATABASE_URL is not set (CI starts a server: scripts/test-postgres.sh)",
    reserve: reservePostgres,
    open: async () => opened(await reservePostgres()),
  },
];

/** A describe per backend; one where the backend cannot run is skipped, with the reason in its name. */
export function describeEachDatabase(title: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    if (backend.missing === null) describe(`${title} (${backend.name})`, () => body(backend));
    else describe.skip(`${title} (${backend.name}, skipped: ${backend.missing})`, () => body(backend));
  }
}
