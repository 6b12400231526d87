import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp, systemActor } from "../../src/app.js";
import { importData } from "../../src/import/yaml-import.js";
import { fakeClock, SMALL_PARTNERSHIP } from "../support/harness.js";
import { type PostCall, recordingNotifier, testScheduler } from "../support/scheduling.js";

// The scheduler's ledger on PostgreSQL: the same claims, the same once-only posts from two
// schedulers sharing the database (each with its own connection pool, as two machines would).
const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `cmp_sched_${process.pid}_${Date.now()}`;
const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

const clockA = fakeClock("2026-11-30T14:00:00Z");
const clockB = fakeClock("2026-11-30T14:00:00Z");
let a: App;
let b: App;

beforeAll(async () => {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const logger = pino({ level: "silent" });
  a = await createApp({ databaseUrl: url, logger, clock: clockA });
  b = await createApp({ databaseUrl: url, logger, clock: clockB });
  const at = clockA.now();
  await importData(a.store, SMALL_PARTNERSHIP, await systemActor(a.store, at.toISOString()), at);
  const group = await a.store.groups.byCode("TIIWG");
  await a.store.groups.bindChannel(
    { groupId: group!.id, platform: "slack", channelId: "C-1" },
    at.toISOString(),
  );
  const sara = await a.store.people.byHandle("sara");
  await a.store.people.linkIdentity(sara!.id, "console", "sara");
  await a.router.handle({
    platform: "console",
    text: "add TIIWG Trade mission report due 2026-12-01 owner COMCE (MX)",
    actor: { userId: "sara", displayName: "Sara Wilshaw" },
    channelId: null,
  });
});

afterAll(async () => {
  await sql`drop schema ${sql.id(schema)} cascade`.execute(a.database.db);
  await b.close();
  await a.close();
});

describe("the scheduler on PostgreSQL", () => {
  it("posts each occasion once from two schedulers, retrying through an ambiguous failure", async () => {
    expect(a.database.kind).toBe("postgres");
    const channel: PostCall[] = [];
    const answer = (_call: PostCall, attempt: number) =>
      attempt === 1
        ? { status: "accepted-then-lost" as const, reason: "timeout" }
        : { status: "sent" as const, messageId: "" };
    const slackA = recordingNotifier("slack", clockA, { delivered: channel, answer });
    const slackB = recordingNotifier("slack", clockB, { delivered: channel, answer });
    const schedulerA = testScheduler(a, clockA, [slackA.notifier]);
    const schedulerB = testScheduler(b, clockB, [slackB.notifier]);
    for (let minutes = 0; minutes < 10; minutes += 1) {
      const at = new Date(Date.parse("2026-11-30T15:00:00Z") + minutes * 60_000).toISOString();
      clockA.set(at);
      clockB.set(at);
      await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    }
    const keys = channel.map((c) => c.key.split(":")[0]).sort();
    expect(keys).toEqual(["digest", "reminder"]);
    const group = await a.store.groups.byCode("TIIWG");
    const rows = await b.store.schedule.deliveries(group!.id, {
      from: "2026-11-30T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
    });
    expect(
      rows.filter((r) => r.target?.platform === "slack").map((r) => [r.kind, r.status]),
    ).toEqual([
      ["digest", "sent"],
      ["reminder", "sent"],
    ]);
  });

  it("judges a lease by the server's clock: a replica 20 minutes fast leaves one held by another alone", async () => {
    const group = await a.store.groups.byCode("TIIWG");
    const createdAt = "2026-11-30T15:00:00.000Z";
    await a.store.schedule.claim([
      {
        deliveryKey: "lease-test|slack:C-1",
        occasionKey: "lease-test",
        kind: "digest",
        groupId: group!.id,
        target: { kind: "channel", platform: "slack", channelId: "C-1", groupId: group!.id },
        languages: ["en"],
        dueAt: createdAt,
        status: "pending",
        note: null,
        doc: { summary: "lease test", blocks: [] },
        createdAt,
      },
    ]);
    const pending = await a.store.schedule.duePending("2026-11-30T16:00:00.000Z", ["slack"], 50);
    const id = pending.find((d) => d.deliveryKey === "lease-test|slack:C-1")!.id;
    // A, on time, takes a 2-minute lease; B, 20 minutes fast, finds it held.
    expect(await a.store.schedule.lease(id, createdAt, "2026-11-30T15:02:00.000Z")).toBe(true);
    expect(
      await b.store.schedule.lease(id, "2026-11-30T15:20:00.000Z", "2026-11-30T15:22:00.000Z"),
    ).toBe(false);
    // A lease that ran out on the server's clock is free to take, whatever the replicas' clocks say.
    await a.store.schedule.markRetry(id, createdAt, "test", false);
    expect(await a.store.schedule.lease(id, createdAt, "2026-11-30T15:00:00.050Z")).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(await b.store.schedule.lease(id, createdAt, "2026-11-30T15:02:00.000Z")).toBe(true);
  });
});
