import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import pg from "pg";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.js";
import { migrateToLatest, type OpenDatabase, openDatabase } from "../../src/db/database.js";
import { readiness } from "../../src/db/health.js";
import { createHttpServer } from "../../src/http/server.js";
import { addReadiness } from "../../src/ops/routes.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

// GET /readyz over real HTTP: ready only while the database answers and its schema is this
// build's; not ready, with the reason, otherwise; ready again by itself once that is fixed.

const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean();
});

async function probe(database: OpenDatabase) {
  const http = createHttpServer(pino({ level: "silent" }));
  addReadiness(http, () => readiness(database.db, 1500));
  const base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  cleanups.push(() => http.close());
  return async () => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, text: await response.text() };
  };
}

describe("/readyz", () => {
  it("is 503 while a migration is missing, naming it, and 200 once it is applied", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmp-ready-"));
    const database = openDatabase(join(dir, "cmp.db"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);
    const ready = await probe(database);
    expect(await ready()).toEqual({ status: 200, text: "ready" });
    const last = Object.keys(migrations).at(-1) as string;
    const migrator = new Migrator({
      db: database.db,
      provider: { getMigrations: async () => migrations },
    });
    await migrator.migrateDown();
    expect(await ready()).toEqual({
      status: 503,
      text: `not ready: migrations not applied: ${last}`,
    });
    await migrateToLatest(database.db);
    expect((await ready()).status).toBe(200);
  });

  it("is 503 while PostgreSQL is unreachable and recovers by itself when it returns", async () => {
    const schema = `cmp_ready_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    cleanups.push(async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    });
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(BASE).port) });
    cleanups.push(() => proxy.close());
    const url = new URL(BASE);
    url.port = String(proxy.port);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const database = openDatabase(url.toString());
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);
    const ready = await probe(database);
    expect(await ready()).toEqual({ status: 200, text: "ready" });
    proxy.cut();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.text).toMatch(/^not ready: database (unreachable|did not answer)/);
    proxy.restore();
    expect(await ready()).toEqual({ status: 200, text: "ready" });
  });
});
