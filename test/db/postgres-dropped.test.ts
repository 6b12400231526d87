import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { POSTGRES_URL } from "../support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// A connection PostgreSQL drops while a command's query runs on it (a restart, a partition)
// fails that query, and only that query: the process lives on and the pool connects afresh.

let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(POSTGRES_URL).port) });
});
afterAll(() => proxy.close());

describe("a PostgreSQL connection dropped mid-query", () => {
  it("fails the query it carried without crashing the bot, and the next query reconnects", async () => {
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.port = String(proxy.port);
    const store = openDatabase(viaProxy.toString());
    const uncaught: unknown[] = [];
    const watch = (error: unknown) => uncaught.push(error);
    process.on("uncaughtExceptionMonitor", watch);
    try {
      await sql`select 1`.execute(store.db);
      const running = sql`select pg_sleep(10)`.execute(store.db);
      const outcome = running.then(
        () => "answered",
        (error: Error) => error.message,
      );
      await new Promise((r) => setTimeout(r, 300));
      proxy.cut();
      expect(await outcome).toMatch(/Connection terminated/);
      // The dropped connection's 'error' event comes after its query's; give it a turn.
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught).toEqual([]);

      proxy.restore();
      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtExceptionMonitor", watch);
      await store.close();
    }
  });
});
