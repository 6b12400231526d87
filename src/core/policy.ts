import { type Actor, membershipIn } from "./actor.js";
import { BotError } from "./errors.js";
import { itemRef } from "./tracker/rules.js";
import type { Commitment, WorkingGroup } from "./tracker/types.js";

// Who may do what, in one place. Each `can…` answers; each `require…` refuses with the
// localized reason. Commands name the rule they apply in their spec's `permission`.

export type Permission =
  | "anyone"
  | "self"
  | "see"
  | "manage"
  | "close"
  | "note"
  | "snooze"
  | "bind"
  | "confirm";

/** Restricted groups exist only for their members and the secretariat. */
export function canSee(actor: Actor, group: WorkingGroup): boolean {
  return (
    group.visibility === "partnership" ||
    actor.person.isAdmin ||
    membershipIn(actor, group.id) !== undefined
  );
}

/** Co-chairs manage their group's items, decisions and meetings; admins manage every group. */
export function canManage(actor: Actor, group: WorkingGroup): boolean {
  return actor.person.isAdmin || membershipIn(actor, group.id)?.role === "co_chair";
}

export function isOwner(actor: Actor, item: Commitment): boolean {
  return item.owners.some((o) => o.kind === "person" && o.personId === actor.person.id);
}

/** Owners close their own items; co-chairs and admins any item of their group. */
export function canClose(actor: Actor, group: WorkingGroup, item: Commitment): boolean {
  return canManage(actor, group) || isOwner(actor, item);
}

/** Members of the group, owners of the item, co-chairs and admins may add notes. */
export function canNote(actor: Actor, group: WorkingGroup, item: Commitment): boolean {
  return canClose(actor, group, item) || membershipIn(actor, group.id) !== undefined;
}

/** Whoever may close an item may also pause its reminders. */
export const canSnooze = canClose;

/** Binding a channel to a group is the secretariat's. */
export function canBind(actor: Actor): boolean {
  return actor.person.isAdmin;
}

/** A co-chair (or an admin) confirms a decision for their side. */
export const canConfirm = canManage;

export function requireManage(actor: Actor, group: WorkingGroup, exampleKey?: string): void {
  if (!canManage(actor, group))
    throw new BotError("errors:co_chairs_only", { code: group.code }, exampleKey);
}

export function requireClose(actor: Actor, group: WorkingGroup, item: Commitment): void {
  if (!canClose(actor, group, item))
    throw new BotError("errors:owners_only", { ref: itemRef(item) });
}

export function requireNote(actor: Actor, group: WorkingGroup, item: Commitment): void {
  if (!canNote(actor, group, item)) throw new BotError("errors:members_only", { code: group.code });
}

export function requireSnooze(actor: Actor, group: WorkingGroup, item: Commitment): void {
  if (!canSnooze(actor, group, item))
    throw new BotError("schedule:error.snooze_rights", { ref: itemRef(item) });
}

export function requireBind(actor: Actor): void {
  if (!canBind(actor)) throw new BotError("errors:admins_only", {}, "examples:bind");
}

export function requireConfirm(actor: Actor, group: WorkingGroup): void {
  if (!canConfirm(actor, group))
    throw new BotError("errors:co_chairs_only", { code: group.code }, "examples:confirm");
}
