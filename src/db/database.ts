import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  sql,
} from "kysely";
import pg from "pg";
import { migrations } from "../../migrations/index.js";
import type { Database } from "./schema.js";

export type DatabaseKind = "sqlite" | "postgres";

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** How many commands can use the store at once: the pool's size, or SQLite's one connection. */
  concurrency: number;
  /** PostgreSQL's pool figures for /metrics; null on SQLite (one connection). */
  pool(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

const POOL_SIZE = 10;

/** `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is a SQLite file path or `sqlite:` URL. */
export function openDatabase(url: string): OpenDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Without a connection timeout a command waits forever while the server is unreachable;
    // with one it fails in seconds and the user is told to try again.
    const pool = new pg.Pool({
      connectionString: url,
      max: POOL_SIZE,
      connectionTimeoutMillis: 5000,
    });
    // An idle connection dropped by a restart or a partition is an 'error' on the pool, which
    // would otherwise crash the process; the pool replaces it and queries report their own.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: "postgres",
      concurrency: POOL_SIZE,
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  const path = url.replace(/^sqlite:(\/\/)?/, "");
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // Another process (a second scheduler, the CLI) may hold the write lock briefly.
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, kind: "sqlite", concurrency: 1, pool: () => null, close: () => db.destroy() };
}

const STATEMENT_CACHE = 500;

/**
 * Kysely asks better-sqlite3 to prepare every statement on every run, which cost more than
 * running it in a profile of `status`; the same SQL text reuses its prepared statement.
 * Safe because Kysely runs one query at a time on SQLite's single connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig["database"] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        // Texts are few (queries are built from code), but IN lists vary in length: bounded.
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  // Kysely looks for its migration tables in every schema unless told which: another schema of
  // the same database holding them (a second deployment, a test run) would hide ours.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
