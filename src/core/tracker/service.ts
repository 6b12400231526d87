import { type Actor, sideIn } from "../actor.js";
import type { OwnerInput, Store } from "../ports.js";
import type { GroupSchedule } from "../schedule/types.js";
import { closedAtFor, confirmationState, decisionRef, dueInstant, itemRef } from "./rules.js";
import type {
  ChannelBinding,
  Commitment,
  CommitmentUpdate,
  Decision,
  Meeting,
  MessageSource,
  Status,
  Timeline,
  WorkingGroup,
} from "./types.js";

// Domain operations: the only way anything changes. Each is atomic and leaves an audit row
// (who, when, before → after). Permission checks happen in the commands (through policy.ts),
// which know how to explain a refusal.

/** The acting person as audit rows and history lines name them. */
export const who = (actor: Actor) => ({
  personId: actor.person.id,
  name: actor.person.displayName,
});

/** One line of an item's history, by the acting person. */
export function recordUpdate(
  tx: Store,
  actor: Actor,
  item: Commitment,
  change: Pick<CommitmentUpdate, "kind" | "fromStatus" | "toStatus" | "text">,
  at: string,
): Promise<void> {
  return tx.commitments.addUpdate({
    commitmentId: item.id,
    ...change,
    authorName: actor.person.displayName,
    authorPersonId: actor.person.id,
    at,
  });
}

export interface NewItemInput {
  group: WorkingGroup;
  title: string;
  description: string | null;
  timeline: Timeline | null;
  owners: OwnerInput[];
  status?: Status;
  comments?: string | null;
}

export async function createCommitment(
  store: Store,
  actor: Actor,
  input: NewItemInput,
  at: string,
): Promise<Commitment> {
  return store.transaction(async (tx) => {
    const item = await tx.commitments.create({
      groupId: input.group.id,
      title: input.title,
      description: input.description,
      status: input.status ?? "introduction",
      timeline: input.timeline,
      dueAt: dueInstant(input.timeline, input.group.timeZone),
      closedAt: closedAtFor(input.status ?? "introduction", at),
      owners: input.owners,
      comments: input.comments ?? null,
      createdBy: actor.person.id,
      at,
    });
    await recordUpdate(
      tx,
      actor,
      item,
      { kind: "created", fromStatus: null, toStatus: item.status, text: null },
      at,
    );
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "commitment",
      ref: itemRef(item),
      action: "create",
      after: item,
    });
    return item;
  });
}

export async function changeStatus(
  store: Store,
  actor: Actor,
  item: Commitment,
  status: Status,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.commitments.setStatus(item.id, status, closedAtFor(status, at), at);
    await recordUpdate(
      tx,
      actor,
      item,
      { kind: "status", fromStatus: item.status, toStatus: status, text: null },
      at,
    );
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "commitment",
      ref: itemRef(item),
      action: "status",
      before: { status: item.status },
      after: { status },
    });
  });
}

/** A new timeline for an item, due at the end of its last window in the group's zone. */
export async function changeTimeline(
  store: Store,
  actor: Actor,
  item: Commitment,
  group: WorkingGroup,
  timeline: Timeline,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.commitments.edit(
      item.id,
      { timeline, dueAt: dueInstant(timeline, group.timeZone) },
      at,
    );
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "commitment",
      ref: itemRef(item),
      action: "timeline",
      before: { timeline: item.timeline?.text ?? null, unread: item.timeline?.unread ?? false },
      after: { timeline: timeline.text },
    });
  });
}

export async function addNote(
  store: Store,
  actor: Actor,
  item: Commitment,
  text: string,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await recordUpdate(
      tx,
      actor,
      item,
      { kind: "note", fromStatus: null, toStatus: null, text },
      at,
    );
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "commitment",
      ref: itemRef(item),
      action: "note",
      after: { text },
    });
  });
}

export async function addMilestone(
  store: Store,
  actor: Actor,
  item: Commitment,
  group: WorkingGroup,
  title: string,
  timeline: Timeline | null,
  at: string,
) {
  return store.transaction(async (tx) => {
    const milestone = await tx.commitments.addMilestone(
      item.id,
      title,
      timeline,
      dueInstant(timeline, group.timeZone),
    );
    await recordUpdate(
      tx,
      actor,
      item,
      { kind: "milestone", fromStatus: null, toStatus: null, text: title },
      at,
    );
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "milestone",
      ref: `${itemRef(item)}.${milestone.position}`,
      action: "create",
      after: milestone,
    });
    return milestone;
  });
}

export async function completeMilestone(
  store: Store,
  actor: Actor,
  item: Commitment,
  milestoneId: number,
  position: number,
  at: string,
) {
  await store.transaction(async (tx) => {
    await tx.commitments.completeMilestone(milestoneId, at);
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "milestone",
      ref: `${itemRef(item)}.${position}`,
      action: "done",
      after: { doneAt: at },
    });
  });
}

export async function logDecision(
  store: Store,
  actor: Actor,
  group: WorkingGroup,
  text: string,
  source: MessageSource | null,
  at: string,
): Promise<{ decision: Decision; created: boolean }> {
  return store.transaction(async (tx) => {
    if (source?.messageId) {
      const existing = await tx.decisions.bySource(
        source.platform,
        source.channelId,
        source.messageId,
      );
      if (existing) return { decision: existing, created: false };
    }
    const created = await tx.decisions.create({
      groupId: group.id,
      text,
      status: "proposed",
      source,
      loggedBy: who(actor),
      at,
    });
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "decision",
      ref: decisionRef(created),
      action: "create",
      after: created,
    });
    // The logging co-chair's own word counts as their side's confirmation.
    const decision = await confirmWithin(tx, actor, group, created, at);
    return { decision, created: true };
  });
}

export async function confirmDecision(
  store: Store,
  actor: Actor,
  group: WorkingGroup,
  decision: Decision,
  at: string,
): Promise<Decision> {
  return store.transaction((tx) => confirmWithin(tx, actor, group, decision, at));
}

async function confirmWithin(
  tx: Store,
  actor: Actor,
  group: WorkingGroup,
  decision: Decision,
  at: string,
): Promise<Decision> {
  await tx.decisions.confirm(decision.id, actor.person.id, sideIn(actor, group.id), at);
  const fresh = (await tx.decisions.byNumber(group.id, decision.number)) as Decision;
  if (confirmationState(group, fresh).confirmed && fresh.status !== "confirmed") {
    await tx.decisions.markConfirmed(fresh.id, at);
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "decision",
      ref: decisionRef(fresh),
      action: "confirm",
      before: { status: "proposed" },
      after: { status: "confirmed" },
    });
    return { ...fresh, status: "confirmed" };
  }
  return fresh;
}

export interface MeetingDetails {
  title: string | null;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  callLink: string | null;
  agendaLink: string | null;
}

export async function scheduleMeeting(
  store: Store,
  actor: Actor,
  groups: WorkingGroup[],
  details: MeetingDetails,
  at: string,
): Promise<Meeting> {
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.create({
      ...details,
      groupIds: groups.map((g) => g.id),
      createdBy: actor.person.id,
      at,
    });
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "meeting",
      ref: String(meeting.id),
      action: "create",
      after: meeting,
    });
    return meeting;
  });
}

/** A group's scheduled-post settings after one `schedule` change (`setting` names it). */
export async function saveSchedule(
  store: Store,
  actor: Actor,
  group: WorkingGroup,
  change: { setting: string; before: GroupSchedule; after: GroupSchedule },
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.schedule.saveSettings(change.after, at);
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "schedule",
      ref: group.code,
      action: change.setting,
      before: change.before,
      after: change.after,
    });
  });
}

/** No reminders about the item until `until`. */
export async function snooze(
  store: Store,
  actor: Actor,
  item: Commitment,
  until: string,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.schedule.snooze(item.id, actor.person.id, until, at);
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "commitment",
      ref: itemRef(item),
      action: "snooze",
      after: { until },
    });
  });
}

export async function bindChannel(
  store: Store,
  actor: Actor,
  group: WorkingGroup,
  binding: Omit<ChannelBinding, "groupId">,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.groups.bindChannel({ ...binding, groupId: group.id }, at);
    await tx.audit.record({
      at,
      actor: who(actor),
      entity: "channel",
      ref: `${binding.platform}:${binding.channelId}`,
      action: "bind",
      after: { group: group.code },
    });
  });
}
