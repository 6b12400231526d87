import type { AuditRepository } from "../../core/ports.js";
import type { Db } from "./mappers.js";

export function auditRepository(db: Db): AuditRepository {
  return {
    async record(entry) {
      await db
        .insertInto("audit_log")
        .values({
          at: entry.at,
          actor_person_id: entry.actor.personId,
          actor_name: entry.actor.name,
          entity: entry.entity,
          entity_ref: entry.ref,
          action: entry.action,
          before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
          after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
        })
        .execute();
    },
  };
}
