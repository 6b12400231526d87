import { accessSync, constants, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  type KyselyPlugin,
  LimitNode,
  type MigrationResultSet,
  Migrator,
  OffsetNode,
  PostgresAdapter,
  PostgresDialect,
  SelectQueryNode,
  SqliteDialect,
  type SqliteDialectConfig,
  sql,
  ValueNode,
} from "kysely";
import pg from "pg";
import { migrations } from "../../migrations/index.js";
import { readDirectly } from "./prepared.js";
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
    // A connection dropped by a restart or a partition emits 'error', which would crash the
    // process: on the pool while idle, on the client itself while a query holds it (the pool
    // lets go of its own listener then). The query in flight fails with its own error, which
    // the command reports; the pool discards the dead client and connects afresh.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
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
  const connection = sqliteConnection(path);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: connection }),
    plugins: [inlineLimits],
  });
  // A read may skip Kysely's lock when no transaction holds the connection, or when it is that
  // transaction's own: otherwise it would see another command's uncommitted writes.
  readDirectly(db, (runner, text, parameters) => {
    if (!runner.isTransaction && connection.inTransaction()) return null;
    const statement = connection.prepare(text);
    return statement.reader ? statement.all(parameters) : null;
  });
  return { db, kind: "sqlite", concurrency: 1, pool: () => null, close: () => db.destroy() };
}

function openSqlite(path: string): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // Another process (a second scheduler, the CLI) may hold the write lock briefly.
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

/** A count Kysely bound as a parameter, written into the SQL instead. */
function literalCount<T extends LimitNode | OffsetNode>(
  node: T | undefined,
  make: (value: ValueNode) => T,
): T | undefined {
  const value = node && ("limit" in node ? node.limit : node.offset);
  if (!value || !ValueNode.is(value) || value.immediate || !Number.isInteger(value.value))
    return node;
  return make(ValueNode.createImmediate(value.value));
}

/**
 * SQLite (built with STAT4, as better-sqlite3 is) prepares a statement again on every run
 * when a bound value may change its plan, and a bound LIMIT or OFFSET does: that made a
 * lookup with `LIMIT ?` three times as slow as without. Pages and batches have a few fixed
 * sizes, so the literal texts stay few in the statement cache.
 */
const inlineLimits: KyselyPlugin = {
  transformQuery({ node }) {
    if (!SelectQueryNode.is(node) || (!node.limit && !node.offset)) return node;
    return Object.freeze({
      ...node,
      limit: literalCount(node.limit, LimitNode.create),
      offset: literalCount(node.offset, OffsetNode.create),
    });
  },
  transformResult: async ({ result }) => result,
};

/** Whether this process may write the file and create its -wal and -shm beside it. */
function writable(path: string): boolean {
  if (path === ":memory:") return true;
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch (error) {
    // Not created yet: SQLite will create it if the directory lets it.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** How often a connection opened read-only looks whether the file became writable again. */
const RECHECK_WRITABLE_MS = 1000;

const STATEMENT_CACHE = 500;

/**
 * The one SQLite connection Kysely drives, with four additions:
 * - Kysely asks better-sqlite3 to prepare every statement on every run, which cost more than
 *   running it in a profile of `status`; the same SQL text reuses its prepared statement. Safe
 *   because Kysely runs one query at a time on SQLite's single connection.
 * - SQLite rolls a transaction back by itself when a write fails for want of space
 *   (SQLITE_FULL, "may automatically roll back", sqlite.org/lang_transaction.html); Kysely's
 *   own ROLLBACK then fails with "no transaction is active" and that error would hide the real
 *   one from the caller. A ROLLBACK with no transaction open is a no-op here.
 * - Kysely begins transactions with a plain BEGIN, which takes the write lock only at the first
 *   write: when another process (the command line, a second scheduler) wrote in between, SQLite
 *   answers SQLITE_BUSY at once, without waiting out the busy timeout, and the command failed.
 *   BEGIN IMMEDIATE takes the lock first and waits for it (test/faults/kill-writes.faults.ts).
 * - A file SQLite could not open for writing (read-only permissions, an immutable file, a
 *   read-only mount) gives a read-only connection for good; once the file is writable again,
 *   the connection is reopened between transactions, so the bot recovers without a restart.
 */
function sqliteConnection(path: string): SqliteDialectConfig["database"] & {
  prepare(sql: string): SqliteDatabase.Statement;
  inTransaction(): boolean;
} {
  let sqlite = openSqlite(path);
  let readOnly = !writable(path);
  let checked = Date.now();
  const statements = new Map<string, SqliteDatabase.Statement>();
  const noRollback = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) };
  return {
    close: () => sqlite.close(),
    inTransaction: () => sqlite.inTransaction,
    prepare(sql: string) {
      if (readOnly && !sqlite.inTransaction && Date.now() - checked >= RECHECK_WRITABLE_MS) {
        checked = Date.now();
        if (writable(path)) {
          sqlite.close();
          statements.clear();
          sqlite = openSqlite(path);
          readOnly = false;
        }
      }
      if (!sqlite.inTransaction && /^rollback$/i.test(sql))
        return noRollback as unknown as SqliteDatabase.Statement;
      const text = /^begin$/i.test(sql) ? "begin immediate" : sql;
      let statement = statements.get(text);
      if (!statement) {
        // Texts are few (queries are built from code), but IN lists vary in length: bounded.
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
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
