import { type Kysely, Migrator, sql } from "kysely";
import { migrations } from "../../migrations/index.js";
import type { Database } from "./schema.js";

// What /readyz and `restore` ask of a database: does it answer, and is its schema this build's?

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Migrations this build knows that the database has not applied, and ones it does not know. */
export async function schemaDrift(
  db: Kysely<Database>,
): Promise<{ pending: string[]; unknown: string[] }> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const known = await migrator.getMigrations();
  const pending = known.filter((m) => !m.executedAt).map((m) => m.name);
  const applied = await sql<{ name: string }>`select name from kysely_migration`
    .execute(db)
    .then((r) => r.rows.map((row) => row.name))
    .catch(() => [] as string[]);
  const unknown = applied.filter((name) => !(name in migrations));
  return { pending, unknown };
}

export async function readiness(db: Kysely<Database>, timeoutMs = 2000): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: `database did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const check = (async (): Promise<Readiness> => {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      return { ready: false, reason: `database unreachable: ${(error as Error).message}` };
    }
    const { pending, unknown } = await schemaDrift(db);
    if (pending.length > 0)
      return { ready: false, reason: `migrations not applied: ${pending.join(", ")}` };
    if (unknown.length > 0)
      return {
        ready: false,
        reason: `database has migrations this build does not know (newer version?): ${unknown.join(", ")}`,
      };
    return { ready: true };
  })().catch((error: unknown) => ({
    ready: false as const,
    reason: `database check failed: ${(error as Error).message}`,
  }));
  try {
    return await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
