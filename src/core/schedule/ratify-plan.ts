import type { StoreView } from "../ports.js";
import type { Country, WorkingGroup } from "../tracker/types.js";
import { missingCountries, nudgeKey, nudgeMoments, ratifiedKey } from "./ratify.js";
import type { Contact, GroupSchedule, TimeRange } from "./types.js";

// The ratification occasions owed within a range: a private nudge (and its reminder) to each
// co-chair of a side that has not confirmed a proposed decision, and the notice, once the last
// side confirms, that the decision is ratified.

interface RatifyBase {
  key: string;
  /** When it is owed, ISO-8601 UTC. */
  at: string;
  groupId: number;
  skip: "paused" | null;
  /** The decision's number in its group. */
  number: number;
}

/** A private nudge to one co-chair; `round` 0 is the first, 1 the reminder. */
export type NudgeOccasion = RatifyBase & {
  kind: "nudge";
  round: 0 | 1;
  person: Contact;
  /** The country this co-chair confirms for. */
  missing: Country[];
};

export type RatifiedOccasion = RatifyBase & { kind: "ratified" };

/** A nudge falls at most this long after the decision (a reminder after a run of holidays). */
const LOOKBACK_DAYS = 30;

function daysBefore(instant: string, days: number): string {
  return new Date(new Date(instant).getTime() - days * 86_400_000).toISOString();
}

export async function ratificationOccasions(
  store: StoreView,
  range: TimeRange,
  groups: Map<number, WorkingGroup>,
  schedules: Map<number, GroupSchedule>,
): Promise<(NudgeOccasion | RatifiedOccasion)[]> {
  const ids = [...groups.keys()];
  const found: (NudgeOccasion | RatifiedOccasion)[] = [];
  const proposed = await store.schedule.decisionRefs(ids, {
    logged: { from: daysBefore(range.from, LOOKBACK_DAYS), to: range.to },
    proposedOnly: true,
  });
  const coChairs = new Map<number, { personId: number; country: Country | null }[]>();
  for (const ref of proposed) {
    const group = groups.get(ref.groupId) as WorkingGroup;
    const schedule = schedules.get(ref.groupId) as GroupSchedule;
    const decision = await store.decisions.byNumber(ref.groupId, ref.number);
    if (!decision) continue;
    let chairs = coChairs.get(group.id);
    if (!chairs) {
      chairs = (await store.people.members(group.id))
        .filter((m) => m.role === "co_chair")
        .map((m) => ({ personId: m.personId, country: m.country ?? m.person.country }));
      coChairs.set(group.id, chairs);
    }
    const missing = missingCountries(
      decision,
      chairs.map((c) => c.country).filter((c): c is Country => c !== null),
      group.confirmationsRequired,
    );
    const asked = chairs.filter((c) => c.country !== null && missing.includes(c.country));
    const contacts = await store.schedule.contacts(asked.map((c) => c.personId));
    for (const chair of asked) {
      const person = contacts.find((c) => c.personId === chair.personId) as Contact;
      const when = nudgeMoments(
        decision.loggedAt,
        {
          personId: chair.personId,
          country: chair.country,
          timeZone: person.timeZone ?? group.timeZone,
        },
        schedule.ratifyDays,
      );
      const rounds = [when.first, when.reminder] as const;
      rounds.forEach((at, round) => {
        if (at === null || at < range.from || at > range.to) return;
        found.push({
          kind: "nudge",
          key: nudgeKey(decision.id, chair.personId, round as 0 | 1),
          at,
          groupId: group.id,
          skip: schedule.paused ? "paused" : null,
          number: decision.number,
          round: round as 0 | 1,
          person,
          missing: chair.country ? [chair.country] : missing,
        });
      });
    }
  }
  for (const ref of await store.schedule.ratifiedIn(range)) {
    const group = groups.get(ref.groupId);
    const decision = group ? await store.decisions.byNumber(ref.groupId, ref.number) : null;
    // Imported as confirmed: nobody ratified it here, there is nothing to announce.
    if (!group || !decision || decision.status !== "confirmed") continue;
    const confirmedAt = decision.confirmations
      .map((c) => c.at)
      .sort()
      .at(-1);
    if (!confirmedAt || confirmedAt < range.from || confirmedAt > range.to) continue;
    found.push({
      kind: "ratified",
      key: ratifiedKey(decision.id),
      at: confirmedAt,
      groupId: group.id,
      skip: (schedules.get(group.id) as GroupSchedule).paused ? "paused" : null,
      number: decision.number,
    });
  }
  return found;
}
