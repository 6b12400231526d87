import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/app.js";
import { createI18n } from "../../src/core/i18n.js";
import type { Invocation } from "../../src/core/invocation.js";
import { createRouter, type Router } from "../../src/core/router.js";
import { migrateToLatest } from "../../src/db/database.js";
import type { Database } from "../../src/db/schema.js";
import { createStore } from "../../src/db/store.js";
import { createDocuments } from "../../src/documents/documents.js";
import { importData } from "../../src/import/yaml-import.js";
import { bulkCommitments } from "../support/bulk-data.js";
import { createHarness, fakeClock, type Harness, SMALL_PARTNERSHIP } from "../support/harness.js";

// Every statement each command issues, captured from kysely and explained by the database: the
// tables that grow with the tracker are only ever searched through an index, so a reply costs
// what it shows. SQLite's EXPLAIN QUERY PLAN, and PostgreSQL's EXPLAIN with sequential scans
// priced out (on a small table it would rightly prefer one; what matters is that an index exists).

const COMMANDS = [
  "status TIIWG",
  "status",
  "list TIIWG",
  "list TIIWG overdue",
  "list TIIWG overdue 2",
  "list TIIWG done",
  "list TIIWG all",
  "list",
  "mine",
  "show TIIWG-1",
  "show TIIWG-10",
  "add TIIWG Roadmap due 2027-Q1 owner @sara",
  "update TIIWG-1 note Embassy contacted",
  "update TIIWG-2 in-progress",
  "milestone TIIWG-1 add Draft agreement due 2027-Q1",
  "done TIIWG-3",
  "decide TIIWG Approve the roadmap",
  "decisions TIIWG",
  "confirm TIIWG-D1",
  "meeting TIIWG 2026-12-15 10:00 Monthly call",
  "meetings TIIWG",
  "upcoming TIIWG",
  "snooze TIIWG-4 7",
  "export TIIWG",
] as const;

/** Tables that grow with the partnership's history. */
const GROWING = [
  "commitments",
  "commitment_owners",
  "milestones",
  "commitment_updates",
  "decisions",
  "decision_confirmations",
  "audit_log",
];

type Plans = { command: string; sql: string; detail: string[] }[];

async function capture(
  makeDb: (log: (q: CompiledQuery) => void) => Kysely<Database>,
  clock: ReturnType<typeof fakeClock>,
): Promise<{ command: string; query: CompiledQuery }[]> {
  let current = "";
  const captured: { command: string; query: CompiledQuery }[] = [];
  const db = makeDb((query) => captured.push({ command: current, query }));
  const router: Router = createRouter({
    store: createStore(db),
    clock,
    i18n: await createI18n(),
    documents: createDocuments({ chromiumPath: null }),
    logger: pino({ level: "silent" }),
  });
  for (const text of COMMANDS) {
    current = text;
    const invocation: Invocation = {
      platform: "console",
      text,
      actor: { userId: "sara", displayName: "Sara Wilshaw", locale: null },
      channelId: null,
    };
    const reply = await router.handle(invocation);
    expect(reply.kind, text).not.toBe("error");
  }
  await db.destroy();
  return captured;
}

function scansOf(plans: Plans, pattern: (table: string) => RegExp): string[] {
  return plans.flatMap((p) =>
    p.detail
      .filter((d) => GROWING.some((table) => pattern(table).test(d)))
      .map((d) => `${p.command}: ${d} ← ${p.sql}`),
  );
}

/** Commands that read a page of one group's items. */
const GROUP_PAGES = [
  "status TIIWG",
  "list TIIWG",
  "list TIIWG overdue",
  "list TIIWG overdue 2",
  "list TIIWG done",
  "list TIIWG all",
];

/**
 * Pages of a group's items whose plan sorts: a sort reads every matching item to return twenty,
 * so a page would cost what the group holds (items sharing a due date are the norm).
 */
function sortedPages(plans: Plans, sorts: RegExp): string[] {
  return plans
    .filter((p) => GROUP_PAGES.includes(p.command) && /order by "commitments"."due_at"/.test(p.sql))
    .filter((p) => p.detail.some((d) => sorts.test(d)))
    .map((p) => `${p.command}: ${p.detail.join(" / ")} ← ${p.sql}`);
}

describe("on SQLite, every command's statements", () => {
  let h: Harness;
  let plans: Plans;

  beforeAll(async () => {
    h = await createHarness({ now: "2026-11-20T15:00:00Z" });
    const group = await h.app.store.groups.byCode("TIIWG");
    const sara = await h.app.store.people.byHandle("sara");
    await bulkCommitments(h.app.database.db, {
      groupIds: [group?.id ?? 0],
      count: 2_000,
      now: h.clock.now(),
      ownerPersonIds: [sara?.id ?? 0],
    });
    const sqlite = new SqliteDatabase(join(h.dir, "cmp.db"));
    const captured = await capture(
      (log) =>
        new Kysely<Database>({
          dialect: new SqliteDialect({ database: new SqliteDatabase(join(h.dir, "cmp.db")) }),
          log: (event) => {
            if (event.level === "query") log(event.query);
          },
        }),
      h.clock,
    );
    plans = captured.map(({ command, query }) => ({
      command,
      sql: query.sql,
      detail: (
        sqlite
          .prepare(`explain query plan ${query.sql}`)
          .all(...(query.parameters as unknown[])) as { detail: string }[]
      ).map((r) => r.detail),
    }));
    sqlite.close();
  });

  afterAll(async () => {
    await h.close();
  });

  it("never scan a table that grows with the tracker, and read pages in index order", () => {
    expect(scansOf(plans, (t) => new RegExp(`^SCAN ${t}\\b`))).toEqual([]);
    expect(sortedPages(plans, /USE TEMP B-TREE FOR ORDER BY/)).toEqual([]);
    // Every command was captured, reads and writes alike.
    for (const command of COMMANDS)
      expect(
        plans.some((p) => p.command === command),
        command,
      ).toBe(true);
  });
});

const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("on PostgreSQL, every command's statements", () => {
  const schema = `cmp_plans_${process.pid}_${Date.now()}`;
  let plans: Plans;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const clock = fakeClock("2026-11-20T15:00:00Z");
    const setup = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
    });
    await migrateToLatest(setup);
    const store = createStore(setup);
    await importData(
      store,
      SMALL_PARTNERSHIP,
      await systemActor(store, clock.now().toISOString()),
      clock.now(),
    );
    const sara = await store.people.byHandle("sara");
    if (sara) await store.people.linkIdentity(sara.id, "console", "sara");
    const group = await store.groups.byCode("TIIWG");
    await bulkCommitments(setup, {
      groupIds: [group?.id ?? 0],
      count: 2_000,
      now: clock.now(),
      ownerPersonIds: [sara?.id ?? 0],
    });
    await sql`analyze`.execute(setup);
    await setup.destroy();
    const captured = await capture(
      (log) =>
        new Kysely<Database>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
          log: (event) => {
            if (event.level === "query") log(event.query);
          },
        }),
      clock,
    );
    await admin.query(`set search_path = ${schema}`);
    await admin.query("set enable_seqscan = off");
    plans = [];
    for (const { command, query } of captured) {
      if (/^(begin|commit|rollback)/i.test(query.sql)) continue;
      const result = await admin.query(`explain ${query.sql}`, query.parameters as unknown[]);
      plans.push({
        command,
        sql: query.sql,
        detail: result.rows.map((r: Record<string, string>) => r["QUERY PLAN"] ?? ""),
      });
    }
  });

  afterAll(async () => {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });

  it("never scan a table that grows with the tracker, and read pages in index order", () => {
    expect(scansOf(plans, (t) => new RegExp(`Seq Scan on ${t}\\b`))).toEqual([]);
    expect(sortedPages(plans, /\bSort\b/)).toEqual([]);
    for (const command of COMMANDS)
      expect(
        plans.some((p) => p.command === command),
        command,
      ).toBe(true);
  });
});
