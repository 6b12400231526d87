import pg from "pg";

// The developers' and CI machines run PostgreSQL on 127.0.0.1:5432 with trust auth and a
// database `test`. Each test that uses it works in a schema of its own, dropped at the end.

export const POSTGRES_URL =
  process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** `base` with every connection's search_path set to `schema`. */
export function inSchema(schema: string, base = POSTGRES_URL): string {
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export interface TestSchema {
  name: string;
  /** A DATABASE_URL whose connections work in this schema. */
  url: string;
  /** A connection outside the bot, for the test's own reads. */
  admin: pg.Client;
  drop(): Promise<void>;
}

export async function createTestSchema(prefix: string): Promise<TestSchema> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${name}`);
  return {
    name,
    url: inSchema(name),
    admin,
    async drop() {
      await admin.query(`drop schema ${name} cascade`);
      await admin.end();
    },
  };
}
