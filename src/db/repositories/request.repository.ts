import type { RequestLedger } from "../../core/ports.js";
import type { Db } from "./mappers.js";

// Makes retries, replays and double clicks act once: the first claim of a key wins.

export function requestRepository(db: Db): RequestLedger {
  return {
    async claim(key, at) {
      const result = await db
        .insertInto("processed_requests")
        .values({ request_key: key, at, result_ref: null })
        .onConflict((oc) => oc.column("request_key").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
