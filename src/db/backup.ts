import { existsSync, renameSync, rmSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { migrations } from "../../migrations/index.js";

// `cmp-bot backup FILE` and `cmp-bot restore FILE` for SQLite. The backup uses SQLite's online
// backup API through its own connection, page by page, so the bot may keep writing meanwhile.
// PostgreSQL has pg_dump/pg_restore for this (README, "Deployment").

export class BackupError extends Error {}

function sqlitePath(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new BackupError(
      "DATABASE_URL is PostgreSQL: back it up with pg_dump and restore with pg_restore (see the README's Deployment section).",
    );
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, "");
  if (path === ":memory:") throw new BackupError("An in-memory database cannot be backed up.");
  return path;
}

/** Why the file at `path` is not a good copy of this bot's database, or null when it is. */
function problemWith(path: string): string | null {
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    return `cannot open it: ${(error as Error).message}`;
  }
  try {
    const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
    const verdict = integrity.map((r) => r.integrity_check).join("; ");
    if (verdict !== "ok") return `integrity check failed: ${verdict}`;
    const hasLedger = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    if (!hasLedger) return "it is not a CMP bot database (no migration table)";
    const applied = (
      db.prepare("select name from kysely_migration").all() as { name: string }[]
    ).map((r) => r.name);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      return `it comes from a newer version of the bot (migrations ${unknown.join(", ")} are unknown here): upgrade first`;
    return null;
  } catch (error) {
    return `cannot read it: ${(error as Error).message}`;
  } finally {
    db.close();
  }
}

export async function backup(databaseUrl: string, file: string): Promise<{ pages: number }> {
  const source = sqlitePath(databaseUrl);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  if (existsSync(file)) throw new BackupError(`${file} exists already; choose a new file name.`);
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(file);
    const problem = problemWith(file);
    if (problem) {
      rmSync(file, { force: true });
      throw new BackupError(`The backup failed its check (${problem}); nothing was kept.`);
    }
    return { pages: progress.totalPages };
  } finally {
    db.close();
  }
}

/**
 * Replaces the database with the backup in `file`, after checking it. The bot must be stopped
 * first. The database it replaces is kept beside it as `<name>.before-restore`.
 */
export function restore(databaseUrl: string, file: string): { kept: string | null } {
  const target = sqlitePath(databaseUrl);
  const problem = problemWith(file);
  if (problem)
    throw new BackupError(`Not restored: ${file}: ${problem}. The database is unchanged.`);
  // Copy first, then swap by renames: a failure half-way leaves the old database as it was.
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const copy = new SqliteDatabase(file, { readonly: true });
  try {
    copy.exec(`vacuum into '${staging.replaceAll("'", "''")}'`);
  } finally {
    copy.close();
  }
  let kept: string | null = null;
  if (existsSync(target)) {
    kept = `${target}.before-restore`;
    // Fold the old database's write-ahead log into it so the kept copy is complete.
    const old = new SqliteDatabase(target);
    old.pragma("wal_checkpoint(TRUNCATE)");
    old.close();
    renameSync(target, kept);
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  return { kept };
}
