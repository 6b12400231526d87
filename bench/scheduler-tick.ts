// Benchmark: does a scheduler tick cost what is due, or what exists?
//
//   npx tsx bench/scheduler-tick.ts [sizes…]      (default: 10000 100000 1000000)
//
// Builds SQLite stores holding the same 100 due items among a growing number of other
// commitments (closed history and open items due years ahead), then times `tick()` — finding
// what is owed, claiming it, rendering and delivering the 100 posts — and a quiet tick (the
// next minute, nothing new). Each is compared with the same tick on a store that holds only the
// 100 due items, measured in the same run. Ratios near 1 mean cost follows what is due.

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import pino from "pino";
import { createApp } from "../src/app.js";
import type { Notifier } from "../src/core/notifier.js";
import type { Clock } from "../src/core/ports.js";
import { migrateToLatest, openDatabase } from "../src/db/database.js";
import { createScheduler } from "../src/scheduler/runner.js";

const DUE_ITEMS = 100;
const GROUPS = 9;
const RUNS = 5;
/** Monday 23 November 2026, 09:00 in Mexico City: reminders, digests due. */
const TICK_AT = "2026-11-23T15:00:00.000Z";
const DAY_MS = 86_400_000;

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10_000, 100_000, 1_000_000);

interface Store {
  dir: string;
  path: string;
  buildMs: number;
}

/** Groups, channels, the due items and `others` commitments that owe nothing now. */
async function build(others: number): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), "cmp-bench-"));
  const path = join(dir, "cmp.db");
  const started = performance.now();
  const migrated = openDatabase(path);
  await migrateToLatest(migrated.db);
  await migrated.close();
  // Bulk rows in one transaction through the driver: the store's API would take minutes.
  const db = new SqliteDatabase(path);
  fill(db, others);
  db.close();
  return { dir, path, buildMs: performance.now() - started };
}

function fill(db: SqliteDatabase.Database, others: number): void {
  const at = "2026-01-01T00:00:00.000Z";
  const group = db.prepare(
    "insert into working_groups (code, name_en, name_es, name_fr, time_zone, languages, visibility, confirmations_required, active, created_at) values (?, ?, ?, ?, ?, 'en,es', 'partnership', 2, 1, ?)",
  );
  const channel = db.prepare(
    "insert into channel_bindings (platform, channel_id, group_id, conversation_ref, created_at) values ('console', ?, ?, null, ?)",
  );
  const item = db.prepare(
    "insert into commitments (group_id, number, title, description, status, timeline_text, timeline_json, due_at, comments, created_by, created_at, updated_at, closed_at) values (?, ?, ?, null, ?, null, null, ?, null, null, ?, ?, ?)",
  );
  const owner = db.prepare(
    "insert into commitment_owners (commitment_id, position, person_id, org_name, country, sector, tbc) values (?, 1, null, 'COMCE', 'MX', null, 0)",
  );
  db.transaction(() => {
    for (let g = 1; g <= GROUPS; g++) {
      const zone = g % 2 === 0 ? "America/Toronto" : "America/Mexico_City";
      group.run(`WG${g}`, `Group ${g}`, `Grupo ${g}`, `Groupe ${g}`, zone, at);
      channel.run(`wg${g}`, g, at);
    }
    const numbers = new Array<number>(GROUPS + 1).fill(0);
    const add = (g: number, dueAt: string, closedAt: string | null) => {
      numbers[g] = (numbers[g] ?? 0) + 1;
      const status = closedAt ? "done" : "in_progress";
      const id = item.run(g, numbers[g], `Item ${numbers[g]}`, status, dueAt, at, at, closedAt);
      owner.run(id.lastInsertRowid);
    };
    // The due items, in the Mexico City groups (09:00 there is the tick): reminders 7 days
    // before, 1 day before, on the day, and a week overdue.
    const endOfMonday = Date.parse("2026-11-24T05:59:59.999Z");
    for (let i = 0; i < DUE_ITEMS; i++) {
      const offsetDays = [7, 1, 0, -7][i % 4] as number;
      add(1 + 2 * (i % 5), new Date(endOfMonday + offsetDays * DAY_MS).toISOString(), null);
    }
    // History (closed items) and open items due years ahead, in every group.
    const tick = Date.parse(TICK_AT);
    for (let i = 0; i < others; i++) {
      const closed = i % 10 < 7;
      const due = closed ? tick - (30 + (i % 3000)) * DAY_MS : tick + (400 + (i % 3000)) * DAY_MS;
      add(
        (i % GROUPS) + 1,
        new Date(due).toISOString(),
        closed ? new Date(due).toISOString() : null,
      );
    }
  })();
}

function fakeClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (value) => {
      now = new Date(value);
    },
  };
}

const quietNotifier: Notifier = {
  platform: "console",
  post: async () => ({ status: "sent", messageId: "m" }),
  findDelivered: async () => null,
  postDirect: async () => ({ status: "sent", messageId: "m" }),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median time of a tick that posts the due items, and of the quiet tick a minute later. */
async function measure(store: Store) {
  const clock = fakeClock(TICK_AT);
  const app = await createApp({
    databaseUrl: store.path,
    logger: pino({ level: "silent" }),
    clock,
  });
  const scheduler = createScheduler({
    store: app.store,
    i18n: app.i18n,
    clock,
    logger: pino({ level: "silent" }),
    notifiers: [quietNotifier],
    graceMs: 24 * 3_600_000,
    pacingMs: { console: 0 },
  });
  const busy: number[] = [];
  const quiet: number[] = [];
  let posted = 0;
  for (let run = 0; run <= RUNS; run++) {
    // A fresh ledger each run; the last tick a minute before, as a running scheduler leaves it.
    await app.database.db.deleteFrom("deliveries").execute();
    await app.database.db.deleteFrom("scheduler_state").execute();
    await app.store.schedule.recordTick(new Date(Date.parse(TICK_AT) - 60_000).toISOString());
    clock.set(TICK_AT);
    let started = performance.now();
    const report = await scheduler.tick();
    const busyMs = performance.now() - started;
    clock.set(new Date(Date.parse(TICK_AT) + 60_000).toISOString());
    started = performance.now();
    await scheduler.tick();
    const quietMs = performance.now() - started;
    // The first run warms caches (statements, holiday tables, i18n): not counted.
    if (run === 0) continue;
    busy.push(busyMs);
    quiet.push(quietMs);
    posted = report.sent;
  }
  await app.close();
  return { busy: median(busy), quiet: median(quiet), posted };
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padStart(i === 0 ? 12 : 14)).join("");
}

async function main() {
  const baselineStore = await build(0);
  const baseline = await measure(baselineStore);
  rmSync(baselineStore.dir, { recursive: true, force: true });
  console.log(
    `Scheduler tick: ${DUE_ITEMS} due items (posted per tick: ${baseline.posted}); median of ${RUNS} runs.`,
  );
  console.log(
    `Baseline (only the due items): tick ${baseline.busy.toFixed(1)} ms, quiet tick ${baseline.quiet.toFixed(2)} ms\n`,
  );
  console.log(
    row(["commitments", "build s", "db MB", "tick ms", "ratio", "quiet ms", "quiet ratio"]),
  );
  for (const size of sizes) {
    const store = await build(size);
    const mb = statSync(store.path).size / 1e6;
    const result = await measure(store);
    rmSync(store.dir, { recursive: true, force: true });
    if (result.posted !== baseline.posted)
      throw new Error(`posted ${result.posted} at ${size}, ${baseline.posted} in the baseline`);
    console.log(
      row([
        size + DUE_ITEMS,
        (store.buildMs / 1000).toFixed(1),
        mb.toFixed(0),
        result.busy.toFixed(1),
        (result.busy / baseline.busy).toFixed(2),
        result.quiet.toFixed(2),
        (result.quiet / baseline.quiet).toFixed(2),
      ]),
    );
  }
}

await main();
