import { randomBytes } from "node:crypto";
import type { Actor } from "../actor.js";
import type { CalendarMeeting } from "../calendar/feed.js";
import type { Store } from "../ports.js";
import type { NewDelivery } from "../schedule/types.js";
import { who } from "./service.js";

// Meeting changes people's calendars must follow, and the feed links themselves. A move or a
// cancellation, its audit row and the ledger rows announcing it commit together.

/**
 * The announcement of a change, composed from the meeting as it is after the change. It reads
 * through `store`, the change's transaction: SQLite has one connection, held by it.
 */
export type Announce = (meeting: CalendarMeeting, store: Store) => Promise<NewDelivery[]>;

async function change(
  store: Store,
  actor: Actor,
  meeting: CalendarMeeting,
  action: "cancel" | "move",
  apply: (tx: Store) => Promise<void>,
  announce: Announce,
  at: string,
): Promise<CalendarMeeting> {
  return store.transaction(async (tx) => {
    await apply(tx);
    const after = (await tx.calendar.meeting(meeting.id)) as CalendarMeeting;
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "meeting",
      ref: String(meeting.id),
      action,
      before: { startsAt: meeting.startsAt, cancelledAt: meeting.cancelledAt },
      after: { startsAt: after.startsAt, cancelledAt: after.cancelledAt },
    });
    await tx.schedule.claim(await announce(after, tx));
    return after;
  });
}

export function cancelMeeting(
  store: Store,
  actor: Actor,
  meeting: CalendarMeeting,
  announce: Announce,
  at: string,
): Promise<CalendarMeeting> {
  return change(
    store,
    actor,
    meeting,
    "cancel",
    (tx) => tx.calendar.cancel(meeting.id, at),
    announce,
    at,
  );
}

export function moveMeeting(
  store: Store,
  actor: Actor,
  meeting: CalendarMeeting,
  startsAt: string,
  announce: Announce,
  at: string,
): Promise<CalendarMeeting> {
  return change(
    store,
    actor,
    meeting,
    "move",
    (tx) => tx.calendar.move(meeting.id, startsAt, at),
    announce,
    at,
  );
}

/** The person's feed token for a group (null: every group they may see); the same until reset. */
export function calendarToken(
  store: Store,
  actor: Actor,
  groupId: number | null,
  at: string,
): Promise<string> {
  // 32 random bytes: the URL is the credential, so it must not be guessable.
  return store.calendar.token(actor.person.id, groupId, randomBytes(32).toString("base64url"), at);
}
