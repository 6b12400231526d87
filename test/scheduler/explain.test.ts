import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { type CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/schema.js";
import { createStore } from "../../src/db/store.js";
import { createHarness, type Harness } from "../support/harness.js";
import { recordingNotifier, testScheduler } from "../support/scheduling.js";

// Every statement a tick runs, captured from kysely and explained by SQLite: the tables that
// grow with the partnership's history are only ever searched through an index.

/** Tables whose size follows the years of history, not the partnership's few groups and people. */
const GROWING =
  /^SCAN (commitments|deliveries|meetings|meeting_groups|decisions|decision_confirmations|commitment_updates|commitment_owners|milestones|snoozes|audit_log|channel_bindings|identities)\b/;

let h: Harness;
let sqlite: SqliteDatabase.Database;
let plans: { sql: string; detail: string[] }[];

beforeAll(async () => {
  h = await createHarness({ now: "2026-11-20T12:00:00Z" });
  await h.say("sara", "add TIIWG Roadmap due 2026-11-27 owner @salvador");
  await h.say("sara", "add TIIWG Bootcamp due 2026-11-23 owner COMCE (MX)");
  await h.say("sara", "add TIIWG Old item due 2026-10-19 owner COMCE (MX)");
  await h.say("sara", "snooze TIIWG-3");
  await h.say("sara", "meeting TIIWG 2026-11-24 10:00 CDMX Monthly call");
  await h.say("sara", "decide TIIWG Approve the roadmap");

  sqlite = new SqliteDatabase(join(h.dir, "cmp.db"));
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (event.level === "query") captured.push(event.query);
    },
  });
  const terminal = recordingNotifier("console", h.clock);
  const scheduler = testScheduler({ ...h.app, store: createStore(db) }, h.clock, [
    terminal.notifier,
  ]);
  // Monday 23 November, 09:00 in Mexico City: reminders, the weekly digest, the agenda due.
  h.clock.set("2026-11-23T15:00:00.000Z");
  const report = await scheduler.tick();
  expect(report.sent).toBeGreaterThanOrEqual(3);
  // A tick after the meeting: its summary.
  h.clock.set("2026-11-24T17:31:00.000Z");
  await scheduler.tick();
  expect(terminal.delivered.map((c) => c.key.split(":")[0])).toContain("summary");
  plans = captured.map((q) => ({
    sql: q.sql,
    detail: (
      sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
        detail: string;
      }[]
    ).map((r) => r.detail),
  }));
});

afterAll(async () => {
  sqlite.close();
  await h.close();
});

describe("a tick's queries", () => {
  it("never scan a table that grows with history", () => {
    const scans = plans.flatMap((p) =>
      p.detail.filter((d) => GROWING.test(d)).map((d) => `${d} ← ${p.sql}`),
    );
    expect(scans).toEqual([]);
    expect(plans.length).toBeGreaterThan(20);
  });

  it("never walk every item a group ever had", () => {
    const groupWide = plans.flatMap((p) =>
      p.detail.filter(
        (d) =>
          /^SEARCH commitments USING (COVERING )?INDEX \S+ \(group_id=\?\)$/.test(d) &&
          !d.includes("_open"),
      ),
    );
    expect(groupWide).toEqual([]);
  });

  it("find open items by due moment through the partial index, one seek per range", () => {
    const due = plans.filter((p) => /from "commitments" where "closed_at" is null/.test(p.sql));
    expect(due.length).toBeGreaterThan(0);
    for (const p of due) {
      expect(p.detail.filter((d) => d.includes("commitments")).length).toBeGreaterThan(0);
      for (const d of p.detail.filter((d) => d.includes("commitments")))
        expect(d).toMatch(/^SEARCH commitments USING INDEX commitments_open_due \(due_at>\?/);
    }
  });

  it("pick pending deliveries through their partial index", () => {
    // Proposed decisions (ratification nudges) are selected by status too: deliveries only.
    const pending = plans.filter(
      (p) =>
        /"status" = \?/.test(p.sql) &&
        p.sql.startsWith("select") &&
        p.sql.includes('from "deliveries"'),
    );
    expect(pending.length).toBeGreaterThan(0);
    for (const p of pending)
      expect(p.detail.join(" ")).toContain("USING INDEX deliveries_pending_due");
  });
});
