import type { ScheduleRepository } from "../../core/ports.js";
import type { Db } from "./mappers.js";

// Decisions ratified within a tick's range, through the index on confirmed_at.

export function ratificationQueries(db: Db): Pick<ScheduleRepository, "ratifiedIn"> {
  return {
    async ratifiedIn(range) {
      const rows = await db
        .selectFrom("decisions")
        .select(["group_id", "number"])
        .where("confirmed_at", ">=", range.from)
        .where("confirmed_at", "<=", range.to)
        .orderBy("confirmed_at")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({ groupId: r.group_id, number: r.number }));
    },
  };
}
