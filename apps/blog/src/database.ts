/**
 * The blog's one door to SQL: the same statements and schema on PGlite (embedded PostgreSQL,
 * the default: no server to install) and on a PostgreSQL server through `pg` (when a
 * database URL is given). Tornado's demo holds an aiopg pool on the Application; this is that.
 */

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** What a handler runs statements on: the database, or one transaction of it. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters; resolves with the rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** "PGlite at <dir>" or "PostgreSQL at <host>", for the start-up line. */
  readonly description: string;
  /** Runs `body` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (the schema). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation, the same from pg and PGlite. */
export const UNIQUE_VIOLATION = "23505";

/** True when `error` is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = error as { code?: unknown; constraint?: unknown } | null;
  return fields?.code === UNIQUE_VIOLATION && (constraint === undefined || fields.constraint === constraint);
}

class PGliteDatabase implements Database {
  constructor(
    readonly db: PGlite,
    readonly description: string,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.db.query<Row>(sql, params as unknown[])).rows;
  }

  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      body({ query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, params as unknown[])).rows }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

class PostgresDatabase implements Database {
  constructor(
    readonly pool: pg.Pool,
    readonly description: string,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as Row[];
  }

  async transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body({ query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as Row[] });
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A `postgres://` URL (that server, through `pg`), or the directory PGlite keeps its files in (created on first start). */
export type OpenDatabaseOptions = { url: string } | { dataDir: string };

/** Opens the database named by `options` and creates the tables that are missing (schema.sql). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if ("url" in options) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle client that loses its server emits "error" on the pool; without a listener
    // that would end the process. The next query gets a fresh connection.
    pool.on("error", () => undefined);
    const { hostname, port, pathname } = new URL(options.url);
    db = new PostgresDatabase(pool, `PostgreSQL at ${hostname}:${port || 5432}${pathname}`);
  } else {
    db = new PGliteDatabase(await PGlite.create(options.dataDir), `PGlite at ${options.dataDir}`);
  }
  try {
    await db.exec(await readFile(join(__dirname, "..", "schema.sql"), "utf8"));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
