import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, type OpenDatabase, openDatabase } from "../../src/db/database.js";
import { prepared } from "../../src/db/prepared.js";
import { createTestSchema, type TestSchema } from "../support/postgres.js";

// The lookups every command makes run as queries compiled once (src/db/prepared.ts): each
// value must land in its own place, on both dialects, in and out of a transaction.

const groupNamed = prepared((db, code: string, zone: string) =>
  db
    .selectFrom("working_groups")
    .select(["code", "time_zone"])
    .where("code", "=", code)
    .where("time_zone", "=", zone),
);

async function seed(database: OpenDatabase) {
  await migrateToLatest(database.db);
  for (const [code, zone] of [
    ["AGRI", "America/Toronto"],
    ["ENER", "America/Mexico_City"],
  ] as const)
    await database.db
      .insertInto("working_groups")
      .values({
        code,
        name_en: code,
        name_es: code,
        name_fr: code,
        time_zone: zone,
        languages: "en",
        visibility: "partnership",
        confirmations_required: 2,
        active: 1,
        created_at: "2026-11-30T00:00:00Z",
      })
      .execute();
}

function behavesAsBuilt(open: () => OpenDatabase) {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = open();
    await seed(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it("puts each value in its own place, run after run", async () => {
    expect(await groupNamed(database.db, "AGRI", "America/Toronto")).toEqual([
      { code: "AGRI", time_zone: "America/Toronto" },
    ]);
    expect(await groupNamed(database.db, "ENER", "America/Mexico_City")).toEqual([
      { code: "ENER", time_zone: "America/Mexico_City" },
    ]);
    // The values swapped between places find nothing: neither is read as the other.
    expect(await groupNamed(database.db, "America/Toronto", "AGRI")).toEqual([]);
    expect(await groupNamed(database.db, "AGRI", "America/Mexico_City")).toEqual([]);
  });

  it("runs inside a transaction and sees its uncommitted rows", async () => {
    await database.db
      .transaction()
      .execute(async (tx) => {
        await tx
          .updateTable("working_groups")
          .set({ time_zone: "Europe/Paris" })
          .where("code", "=", "AGRI")
          .execute();
        expect(await groupNamed(tx, "AGRI", "Europe/Paris")).toHaveLength(1);
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await groupNamed(database.db, "AGRI", "Europe/Paris")).toEqual([]);
  });

  it("outside a transaction, never sees another command's uncommitted rows", async () => {
    let holdOpen = () => {};
    const held = new Promise<void>((resolve) => {
      holdOpen = resolve;
    });
    let written = () => {};
    const writtenYet = new Promise<void>((resolve) => {
      written = resolve;
    });
    // A command's transaction writes, then waits (for a platform call, say) before committing.
    const other = database.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("working_groups")
        .set({ time_zone: "Asia/Tokyo" })
        .where("code", "=", "ENER")
        .execute();
      written();
      await held;
    });
    await writtenYet;
    // Another command's lookup meanwhile: it waits for the commit on SQLite's one connection,
    // or reads the committed row on PostgreSQL; it never answers with the uncommitted one.
    let committed = false;
    const meanwhile = groupNamed(database.db, "ENER", "Asia/Tokyo").then((rows) => ({
      rows,
      committed,
    }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    committed = true;
    holdOpen();
    await other;
    const read = await meanwhile;
    // Answered before the commit, it must not hold the uncommitted row.
    expect(read.committed ? [] : read.rows).toEqual([]);
    expect(await groupNamed(database.db, "ENER", "Asia/Tokyo")).toHaveLength(1);
  });
}

describe("a prepared query on SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmp-prepared-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  behavesAsBuilt(() => openDatabase(join(dir, "cmp.db")));

  it("writes LIMIT and OFFSET into the SQL, which SQLite would otherwise prepare again on every run", () => {
    const database = openDatabase(join(dir, "limits.db"));
    const { sql, parameters } = database.db
      .selectFrom("working_groups")
      .select("code")
      .where("code", "=", "AGRI")
      .limit(20)
      .offset(40)
      .compile();
    expect(sql).toMatch(/limit 20 offset 40$/);
    expect(parameters).toEqual(["AGRI"]);
    void database.close();
  });
});

describe("a prepared query on PostgreSQL", () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema("cmp_prepared");
  });
  afterAll(async () => {
    await schema.drop();
  });
  behavesAsBuilt(() => openDatabase(schema.url));
});

it("refuses a builder that leaves a value out, at its first run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cmp-prepared-"));
  const database = openDatabase(join(dir, "cmp.db"));
  await seed(database);
  const forgetful = prepared((db, code: string, _unused: string) =>
    db.selectFrom("working_groups").select("code").where("code", "=", code),
  );
  await expect(forgetful(database.db, "AGRI", "x")).rejects.toThrow(/value 1 is not a parameter/);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});
