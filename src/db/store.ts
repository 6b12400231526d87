import type { Kysely } from "kysely";
import type { Store } from "../core/ports.js";
import { writeRefusal } from "./errors.js";
import { auditRepository } from "./repositories/audit.repository.js";
import { calendarRepository } from "./repositories/calendar.repository.js";
import { commitmentRepository } from "./repositories/commitment.repository.js";
import { conversationRepository } from "./repositories/conversation.repository.js";
import { decisionRepository } from "./repositories/decision.repository.js";
import { deliveriesRepository } from "./repositories/deliveries.repository.js";
import { groupRepository } from "./repositories/group.repository.js";
import { itemThreadsRepository } from "./repositories/item-threads.repository.js";
import type { Db } from "./repositories/mappers.js";
import { meetingRepository } from "./repositories/meeting.repository.js";
import { peopleRepository } from "./repositories/people.repository.js";
import { plannerQueries } from "./repositories/planner.queries.js";
import { ratificationQueries } from "./repositories/ratification.queries.js";
import { requestRepository } from "./repositories/request.repository.js";
import { scheduleSettingsRepository } from "./repositories/schedule-settings.repository.js";
import type { Database } from "./schema.js";

// The Store port over one connection or one transaction: the same repositories either way.

/** What the store adds from the deployment's settings to what it reads. */
export interface StoreOptions {
  /** Weekly overdue reminders before an item is stalled (CMP_OVERDUE_REMINDERS). */
  overdueReminders?: number;
}

function storeOver(db: Db, root: Kysely<Database>, options: StoreOptions): Store {
  return {
    groups: groupRepository(db),
    people: peopleRepository(db),
    commitments: commitmentRepository(db),
    decisions: decisionRepository(db),
    meetings: meetingRepository(db),
    audit: auditRepository(db),
    requests: requestRepository(db),
    conversations: conversationRepository(db),
    schedule: {
      ...scheduleSettingsRepository(db, options.overdueReminders),
      ...plannerQueries(db),
      ...ratificationQueries(db),
      ...deliveriesRepository(db),
      ...itemThreadsRepository(db),
    },
    calendar: calendarRepository(db),
    transaction(work) {
      // Already inside a transaction: join it rather than nest.
      if (db !== root) return work(this);
      return root.transaction().execute((trx) => work(storeOver(trx, root, options)));
    },
    writeRefusal,
  };
}

export function createStore(db: Kysely<Database>, options: StoreOptions = {}): Store {
  return storeOver(db, db, options);
}
