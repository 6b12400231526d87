import type { Country, Membership, Person } from "./tracker/types.js";

/** Who is speaking, with their roles: every permission check (policy.ts) reads this. */
export interface Actor {
  person: Person;
  memberships: Membership[];
}

export function membershipIn(actor: Actor, groupId: number): Membership | undefined {
  return actor.memberships.find((m) => m.groupId === groupId);
}

/** The side a person speaks for in a group: their membership's country, else their own. */
export function sideIn(actor: Actor, groupId: number): Country | null {
  return membershipIn(actor, groupId)?.country ?? actor.person.country;
}
