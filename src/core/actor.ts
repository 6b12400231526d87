import type { Membership, Person, WorkingGroup } from "./tracker/types.js";

/** Who is speaking, with their roles: every permission check reads this. */
export interface Actor {
  person: Person;
  memberships: Membership[];
}

export function membershipIn(actor: Actor, groupId: number): Membership | undefined {
  return actor.memberships.find((m) => m.groupId === groupId);
}

/** Restricted groups exist only for their members and the secretariat. */
export function canSee(actor: Actor, group: WorkingGroup): boolean {
  return (
    group.visibility === "partnership" ||
    actor.person.isAdmin ||
    membershipIn(actor, group.id) !== undefined
  );
}

export function isCoChair(actor: Actor, groupId: number): boolean {
  return membershipIn(actor, groupId)?.role === "co_chair";
}

/** Co-chairs manage their group's items, decisions and meetings; admins manage every group. */
export function canManage(actor: Actor, group: WorkingGroup): boolean {
  return actor.person.isAdmin || isCoChair(actor, group.id);
}
