// What a driver's error means for the store, when it means it cannot write at all: SQLite's
// result codes (better-sqlite3 puts the extended one, e.g. SQLITE_READONLY_DIRECTORY, in
// `code`) and PostgreSQL's SQLSTATEs (pg puts them in `code`). Kysely passes them through, some
// wrapped as a `cause`.

export type WriteRefusal = "full" | "read_only";

const SQLITE = /^SQLITE_(FULL|READONLY)(_|$)/;
/** 53100 disk_full; 25006 read_only_sql_transaction (a standby, default_transaction_read_only). */
const POSTGRES: Record<string, WriteRefusal> = { "53100": "full", "25006": "read_only" };

export function writeRefusal(error: unknown): WriteRefusal | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      const sqlite = SQLITE.exec(code);
      if (sqlite) return sqlite[1] === "FULL" ? "full" : "read_only";
      const postgres = POSTGRES[code];
      if (postgres) return postgres;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
