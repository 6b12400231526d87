import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Database } from "./schema.js";

// Kysely builds and compiles a query's tree on every run. For the lookups every command makes
// before any work (who is asking, their memberships, the channel's group, the named group) that
// cost more than running them, in a profile of a cached `status`. A prepared query is built and
// compiled once per database and runs again with new values, on either dialect, inside a
// transaction or not. Kysely documents executing compiled queries ("splitting build, compile
// and execute").

/** Marks where each value goes: a string no caller passes, that no builder rewrites. */
const marker = (i: number) => `\u0000cmp-prepared-${i}\u0000`;

export function prepared<Values extends readonly unknown[], Row>(
  build: (db: Kysely<Database>, ...values: Values) => Compilable<Row>,
): (db: Kysely<Database>, ...values: Values) => Promise<Row[]> {
  // Per dialect adapter: one compile for a database, shared by its transactions.
  const compiled = new WeakMap<object, { query: CompiledQuery<Row>; slots: number[] }>();
  function compile(db: Kysely<Database>, count: number) {
    const adapter = db.getExecutor().adapter;
    const kept = compiled.get(adapter);
    if (kept) return kept;
    const markers = Array.from({ length: count }, (_, i) => marker(i));
    const query = build(db, ...(markers as unknown as Values)).compile();
    const slots = query.parameters.map((p) => (typeof p === "string" ? markers.indexOf(p) : -1));
    for (let i = 0; i < count; i++)
      if (!slots.includes(i)) throw new Error(`prepared query: value ${i} is not a parameter`);
    const made = { query, slots };
    compiled.set(adapter, made);
    return made;
  }
  return (db, ...values) => {
    try {
      const { query, slots } = compile(db, values.length);
      const parameters = query.parameters.map((p, i) => {
        const slot = slots[i] as number;
        return slot >= 0 ? values[slot] : p;
      });
      const rows = directReads.get(db.getExecutor().adapter)?.(db, query.sql, parameters);
      if (rows) return Promise.resolve(rows as Row[]);
      return db.executeQuery<Row>({ ...query, parameters }).then((result) => result.rows);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * Runs a compiled read at once, or answers null when it must go through Kysely. On SQLite's
 * one synchronous connection Kysely's way (a lock, a connection lent and returned, each result
 * plugin) made some twenty promises per lookup, and with the request id's async context every
 * promise costs more: a profile put that beside the reads themselves.
 */
export type DirectReads = (
  db: Kysely<Database>,
  sql: string,
  parameters: readonly unknown[],
) => unknown[] | null;

const directReads = new WeakMap<object, DirectReads>();

/** Lets the prepared queries of `db` (its transactions and plugins included) read through `reads`. */
export function readDirectly(db: Kysely<Database>, reads: DirectReads): void {
  directReads.set(db.getExecutor().adapter, reads);
}
