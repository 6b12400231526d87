import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { createApp, systemActor } from "../src/app.js";
import { importData, readImportFile } from "../src/import/yaml-import.js";
import { bulkCommitments } from "../test/support/bulk-data.js";

// A tracker of a given size for the benchmark, built in seconds: the demo's nine groups, 91
// generated ones, people enough that each owns about fifty items (the bench user among them, an
// admin who sees every group), and the commitments by bulk SQL, spread over the 100 groups or
// all in TIIWG ("one busy group").

export const BENCH_SLACK_USER = "U0BENCH";
const ITEMS_PER_OWNER = 50;

export interface Shape {
  size: number;
  oneGroup: boolean;
}

export async function buildStore(databaseUrl: string, shape: Shape, now: Date): Promise<void> {
  const app = await createApp({
    databaseUrl,
    logger: pino({ level: "silent" }),
    clock: { now: () => now },
  });
  try {
    const at = now.toISOString();
    await importData(
      app.store,
      readImportFile("examples/cmp-2017.yaml"),
      await systemActor(app.store, at),
      now,
    );
    for (let g = 1; g <= 91; g += 1) {
      const code = `G${String(g).padStart(3, "0")}`;
      await app.store.groups.upsert(
        {
          code,
          names: { en: `Group ${g}`, es: `Grupo ${g}`, fr: `Groupe ${g}` },
          timeZone: g % 2 ? "America/Toronto" : "America/Mexico_City",
          languages: ["en", "es"],
          visibility: "partnership",
          confirmationsRequired: 2,
        },
        at,
      );
    }
    const bench = await app.store.people.upsertByHandle(
      {
        handle: "bench",
        displayName: "Bench Admin",
        isAdmin: true,
        country: "CA",
        language: "en",
        timeZone: "America/Toronto",
      },
      at,
    );
    await app.store.people.linkIdentity(bench.id, "slack", BENCH_SLACK_USER);
    const owners = Math.max(1, Math.ceil(shape.size / ITEMS_PER_OWNER));
    const db = app.database.db;
    const before = await db
      .selectFrom("people")
      .select(sql<number>`coalesce(max(id), 0)`.as("id"))
      .executeTakeFirstOrThrow();
    await sql`
      with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${owners - 1})
      insert into people (handle, display_name, organisation, is_admin, country, language,
        language_chosen, time_zone, created_at)
      select null, 'Person ' || n, null, 0, 'MX', 'es', 0, 'America/Mexico_City', ${at}
      from seq`.execute(db);
    const pool = await db
      .selectFrom("people")
      .select("id")
      .where("id", ">", Number(before.id))
      .execute();
    const groups = await app.store.groups.all();
    const tiiwg = groups.find((g) => g.code === "TIIWG");
    await bulkCommitments(db, {
      groupIds: shape.oneGroup && tiiwg ? [tiiwg.id] : groups.map((g) => g.id),
      count: shape.size,
      now,
      ownerPersonIds: [bench.id, ...pool.map((p) => p.id)],
    });
    // PostgreSQL's autovacuum would gather statistics and mark the loaded pages all-visible
    // soon after such a load (an index-only count skips the table only on such pages); SQLite
    // has none unless someone runs ANALYZE, so it plans as a fresh deployment does.
    if (app.database.kind === "postgres") {
      await sql`vacuum analyze commitments, commitment_owners, commitment_updates, milestones`.execute(
        db,
      );
      await sql`analyze`.execute(db);
    }
  } finally {
    await app.close();
  }
}

/** A fresh PostgreSQL schema for one size; the URL that selects it. */
export async function postgresSchema(base: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.query(`create schema ${name}`);
  await client.end();
  const sep = base.includes("?") ? "&" : "?";
  return `${base}${sep}options=${encodeURIComponent(`-c search_path=${name}`)}`;
}

export async function dropPostgresSchema(base: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.end();
}
