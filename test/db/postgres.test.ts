import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp, systemActor } from "../../src/app.js";
import { importData } from "../../src/import/yaml-import.js";
import { fakeClock, SMALL_PARTNERSHIP } from "../support/harness.js";

// The same migrations, store and commands on PostgreSQL (the scale-out path). The developers'
// machines and CI run PostgreSQL on 127.0.0.1:5432 with trust auth and a database `test`.
const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `cmp_test_${process.pid}_${Date.now()}`;

let app: App;
beforeAll(async () => {
  // A private schema per run keeps runs apart and leaves the shared database clean.
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const clock = fakeClock("2026-11-20T15:00:00Z");
  app = await createApp({ databaseUrl: url, logger: pino({ level: "silent" }), clock });
  await importData(
    app.store,
    SMALL_PARTNERSHIP,
    await systemActor(app.store, clock.now().toISOString()),
    clock.now(),
  );
  const sara = await app.store.people.byHandle("sara");
  if (sara) await app.store.people.linkIdentity(sara.id, "console", "sara");
});

afterAll(async () => {
  await sql`drop schema ${sql.id(schema)} cascade`.execute(app.database.db);
  await app.close();
});

describe("PostgreSQL store", () => {
  it("runs the same commands with the same results as SQLite", async () => {
    const say = async (text: string) => {
      const reply = await app.router.handle({
        platform: "console",
        text,
        actor: { userId: "sara", displayName: "Sara Wilshaw" },
        channelId: null,
      });
      return reply.kind === "message" ? reply.doc.summary : reply.kind;
    };
    expect(app.database.kind).toBe("postgres");
    expect(await say("add TIIWG Roadmap due 2027-Q1 owner COMCE (MX)")).toBe(
      "Added TIIWG-1: Roadmap",
    );
    expect(await say("decide TIIWG Hold a call before year end")).toBe("Decision TIIWG-D1 logged.");
    expect(await say("done TIIWG-1")).toContain("Introduction phase → Done");
    const group = await app.store.groups.byCode("TIIWG");
    const item = await app.store.commitments.byNumber(group!.id, 1);
    expect(item?.dueAt).toBe("2027-04-01T05:59:59.999Z");
    expect(item?.closedAt).toBe("2026-11-20T15:00:00.000Z");
  });
});
