import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkCommitments } from "../support/bulk-data.js";
import { createHarness, type Harness } from "../support/harness.js";

// One group holding more open items than SQLite allows bound variables in a statement (32,766):
// the size at which `status` used to fail with "too many SQL variables". Counts are right,
// pages are the right items, and nothing fails.

const OPEN = 34_000;
let h: Harness;
let overdue: number;
/** Overdue for less than their four weekly reminders, and overdue beyond them ("stalled"). */
let reminded: string[];
let stalled: number;
/** Open TIIWG items in the order lists show them: dated by due moment, then undated. */
let order: number[];

beforeAll(async () => {
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
  const group = await h.app.store.groups.byCode("TIIWG");
  const sara = await h.app.store.people.byHandle("sara");
  await bulkCommitments(h.app.database.db, {
    groupIds: [group?.id ?? 0],
    count: OPEN,
    now: h.clock.now(),
    ownerPersonIds: [sara?.id ?? 0],
    doneEvery: 0,
  });
  const db = h.app.database.db;
  const counted = await db
    .selectFrom("commitments")
    .select(sql<number>`count(*)`.as("n"))
    .where("group_id", "=", group?.id ?? 0)
    .where("closed_at", "is", null)
    .where("due_at", "<", h.clock.now().toISOString())
    .executeTakeFirstOrThrow();
  overdue = Number(counted.n);
  const stalledBefore = new Date(h.clock.now().getTime() - 29 * 86_400_000).toISOString();
  const recent = await db
    .selectFrom("commitments")
    .select("number")
    .where("group_id", "=", group?.id ?? 0)
    .where("closed_at", "is", null)
    .where("due_at", ">=", stalledBefore)
    .where("due_at", "<", h.clock.now().toISOString())
    .orderBy("due_at")
    .orderBy("id")
    .execute();
  reminded = recent.map((r) => String(r.number));
  stalled = overdue - reminded.length;
  const rows = await db
    .selectFrom("commitments")
    .select(["number", "due_at"])
    .where("group_id", "=", group?.id ?? 0)
    .where("closed_at", "is", null)
    .orderBy(sql`case when due_at is null then 1 else 0 end`)
    .orderBy("due_at")
    .orderBy("id")
    .execute();
  order = rows.map((r) => r.number);
}, 120_000);

afterAll(async () => {
  await h.close();
});

const refs = (text: string) => [...text.matchAll(/TIIWG-(\d+) ·/g)].map((m) => Number(m[1]));

describe("a group with 34,000 open items", () => {
  it("counts them in status, and shows the first overdue ones with the way to see all", async () => {
    expect(overdue).toBeGreaterThan(5_000);
    const reply = await h.run("sara", "status TIIWG");
    expect(reply.kind).toBe("message");
    if (reply.kind !== "message") return;
    expect(reply.doc.summary).toBe(`TIIWG: ${OPEN} open, ${overdue} overdue`);
    const text = await h.say("sara", "status TIIWG");
    expect(reminded.length).toBeGreaterThan(10);
    expect(text).toContain(`Overdue (${reminded.length})`);
    expect(text).toContain(`Stalled — no more reminders (${stalled})`);
    expect(refs(text).slice(0, 10).map(String)).toEqual(reminded.slice(0, 10));
    expect(text).toContain(`…and ${reminded.length - 10} more`);
    expect(text).toContain("All of them: /cmp list TIIWG overdue");
  });

  it("lists the first five stalled items, and how many more there are", async () => {
    const text = await h.say("sara", "status TIIWG");
    const section = text.slice(text.indexOf("Stalled — no more reminders"));
    expect(refs(section.slice(0, section.indexOf("…and")))).toHaveLength(5);
    expect(section).toContain(`…and ${stalled - 5} more`);
  });

  it("counts every group in the overview in one reply: open exactly, overdue up to 100", async () => {
    const text = await h.say("sara", "status");
    expect(text).toContain(`${OPEN} open · 100+ overdue`);
    expect(text).toContain("1 open · 1 overdue");
  });

  it("pages through the overdue items: page 2 is the 21st to 40th, with the next page named", async () => {
    // The count stops at 1,000 (or at the page shown): a reply costs what it shows.
    const text = await h.say("sara", "list TIIWG overdue 2");
    expect(text).toContain("Overdue commitments — TIIWG (1000+)");
    expect(refs(text)).toEqual(order.slice(20, 40));
    expect(text).toContain("Page 2 of 50+. Next page: /cmp list TIIWG overdue 3");
    const deep = await h.say("sara", "list TIIWG overdue 120");
    expect(refs(deep)).toEqual(order.slice(2380, 2400));
    expect(deep).toContain("Page 120 of 120+. Next page: /cmp list TIIWG overdue 121");
  });

  it("ends the open list with the undated items, and says when a page is past the end", async () => {
    const pages = Math.ceil(OPEN / 20);
    const last = await h.say("sara", `list TIIWG ${pages}`);
    expect(refs(last)).toEqual(order.slice((pages - 1) * 20));
    expect(last).toContain(`Page ${pages} of ${pages}.`);
    const past = await h.say("sara", `list TIIWG ${pages + 1}`);
    expect(past).toContain(`There is no page ${pages + 1}: the last is page ${pages}`);
  });

  it("pages what a person owns, in Spanish too", async () => {
    const text = await h.say("sara", "mine");
    expect(text).toContain("What I own (1000+)");
    expect(refs(text)).toEqual(order.slice(0, 20));
    const es = await h.say("salvador", "lista TIIWG vencidos 2");
    expect(es).toContain("Compromisos vencidos — TIIWG (1000+)");
    expect(es).toContain("Página 2 de 50+");
    expect(es).toContain("/cmp lista TIIWG vencidos 3");
  });

  it("hands an export the whole group in bounded batches, each item once", async () => {
    const group = await h.app.store.groups.byCode("TIIWG");
    const seen = new Set<number>();
    let largest = 0;
    for await (const batch of h.app.store.commitments.batches([group?.id ?? 0], 1_000)) {
      largest = Math.max(largest, batch.length);
      for (const item of batch) seen.add(item.number);
    }
    expect(seen.size).toBe(OPEN);
    expect(largest).toBe(1_000);
  });

  it("exports the whole group without failing", async () => {
    const reply = await h.run("sara", "export TIIWG");
    expect(reply.kind).toBe("file");
    if (reply.kind !== "file") return;
    const csv =
      typeof reply.content === "string" ? reply.content : new TextDecoder().decode(reply.content);
    expect(csv.split("\n").length).toBeGreaterThan(OPEN);
  });
});
