import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.js";
import { migrateToLatest, openDatabase } from "../../src/db/database.js";

describe("SQLite store", () => {
  it("migrates a fresh file with WAL and foreign keys on, and migrating again changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmp-mig-"));
    const { db, close } = openDatabase(join(dir, "nested", "cmp.db"));
    try {
      const first = await migrateToLatest(db);
      expect(first.results?.map((r) => r.status)).toEqual(
        Object.keys(migrations).map(() => "Success"),
      );
      const second = await migrateToLatest(db);
      expect(second.results).toEqual([]);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      await expect(
        db
          .insertInto("memberships")
          .values({
            group_id: 999,
            person_id: 999,
            role: "member",
            country: null,
            sector: "public",
          })
          .execute(),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds open items by due moment through an index, not a scan", async () => {
    const { db, close } = openDatabase(":memory:");
    try {
      await migrateToLatest(db);
      const plan = await sql<{
        detail: string;
      }>`explain query plan select id from commitments where closed_at is null and due_at < ${"2027-01-01"}`.execute(
        db,
      );
      expect(plan.rows.map((r) => r.detail).join(" ")).toContain(
        "USING INDEX commitments_open_due",
      );
    } finally {
      await close();
    }
  });
});
