import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db/database.js";
import { writeRefusal } from "../../src/db/errors.js";
import { createStore } from "../../src/db/store.js";

// The store tells a write it cannot make for want of space or permission from any other
// failure, on the drivers' real errors: the router then gives users errors:store_unwritable.

const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cmp-write-refusal-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("errors meaning the store cannot write", () => {
  it("a full SQLite database fails its transaction with SQLITE_FULL, not Kysely's failed ROLLBACK", async () => {
    const opened = openDatabase(join(dir, "full.db"));
    await migrateToLatest(opened.db);
    const store = createStore(opened.db);
    // SQLite's own page limit stands in for a full disk here: the same SQLITE_FULL, which rolls
    // the transaction back by itself (test/faults/store-unwritable.faults.ts fills a real disk).
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(opened.db);
    await sql.raw(`pragma max_page_count = ${Number(rows[0]?.page_count) + 2}`).execute(opened.db);
    const failure = await store
      .transaction(async (tx) => {
        await tx.requests.claim("k1", "2026-11-30T15:00:00.000Z");
        await tx.requests.claim("x".repeat(40_000), "2026-11-30T15:00:00.000Z");
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect((failure as { code?: string }).code).toBe("SQLITE_FULL");
    expect(store.writeRefusal(failure)).toBe("full");
    // Nothing of the transaction stayed, and the connection still writes once there is room.
    await sql.raw("pragma max_page_count = 1073741823").execute(opened.db);
    expect(await store.requests.claim("k1", "2026-11-30T15:00:00.000Z")).toBe(true);
    await opened.close();
  });

  it("a read-only SQLite connection fails with SQLITE_READONLY", () => {
    const path = join(dir, "ro.db");
    new SqliteDatabase(path).exec("create table t (x)");
    const readOnly = new SqliteDatabase(path, { readonly: true });
    let failure: unknown = null;
    try {
      readOnly.exec("insert into t values (1)");
    } catch (error) {
      failure = error;
    }
    readOnly.close();
    expect(writeRefusal(failure)).toBe("read_only");
  });

  it("a PostgreSQL read-only transaction (a standby, default_transaction_read_only) is read_only", async () => {
    const client = new pg.Client({ connectionString: BASE });
    await client.connect();
    try {
      await client.query("begin read only");
      const failure = await client.query("create temporary table cmp_never (x int)").then(
        () => null,
        (error: unknown) => error,
      );
      await client.query("rollback");
      expect((failure as { code?: string }).code).toBe("25006");
      expect(writeRefusal(failure)).toBe("read_only");
    } finally {
      await client.end();
    }
  });

  it("other failures are not refusals", () => {
    expect(writeRefusal(new Error("connection refused"))).toBeNull();
    expect(writeRefusal(Object.assign(new Error("locked"), { code: "SQLITE_BUSY" }))).toBeNull();
    expect(writeRefusal(null)).toBeNull();
  });
});
