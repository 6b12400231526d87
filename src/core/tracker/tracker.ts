import type { Actor } from "../actor.js";
import { applyImport, type ImportPlan } from "../annex/import.js";
import type { CalendarMeeting } from "../calendar/feed.js";
import type { PlatformIdentity, Store } from "../ports.js";
import type { GroupSchedule } from "../schedule/types.js";
import { type Announce, calendarToken, cancelMeeting, moveMeeting } from "./calendar.service.js";
import {
  addMilestone,
  addNote,
  bindChannel,
  changeStatus,
  changeTimeline,
  completeMilestone,
  confirmDecision,
  createCommitment,
  logDecision,
  type MeetingDetails,
  type NewItemInput,
  saveSchedule,
  scheduleMeeting,
  snooze,
} from "./service.js";
import type {
  ChannelBinding,
  Commitment,
  Decision,
  Language,
  Meeting,
  MessageSource,
  Milestone,
  Person,
  RemindersVia,
  Status,
  Timeline,
  WorkingGroup,
} from "./types.js";

/** The service bound to one request: its store (inside the request's transaction), actor and time. */
export interface Tracker {
  createCommitment(input: NewItemInput): Promise<Commitment>;
  changeStatus(item: Commitment, status: Status): Promise<void>;
  changeTimeline(item: Commitment, group: WorkingGroup, timeline: Timeline): Promise<void>;
  addNote(item: Commitment, text: string): Promise<void>;
  addMilestone(
    item: Commitment,
    group: WorkingGroup,
    title: string,
    timeline: Timeline | null,
  ): Promise<Milestone>;
  completeMilestone(item: Commitment, milestone: Milestone): Promise<void>;
  logDecision(
    group: WorkingGroup,
    text: string,
    source: MessageSource | null,
  ): Promise<{ decision: Decision; created: boolean }>;
  confirmDecision(group: WorkingGroup, decision: Decision): Promise<Decision>;
  scheduleMeeting(groups: WorkingGroup[], details: MeetingDetails): Promise<Meeting>;
  /** Cancels a meeting; `announce` gives the ledger rows telling its channels. */
  cancelMeeting(meeting: CalendarMeeting, announce: Announce): Promise<CalendarMeeting>;
  moveMeeting(
    meeting: CalendarMeeting,
    startsAt: string,
    announce: Announce,
  ): Promise<CalendarMeeting>;
  /** The actor's calendar feed token for a group (null: all the groups they may see). */
  calendarToken(groupId: number | null): Promise<string>;
  /** Revokes every calendar feed token of the actor; returns how many. */
  revokeCalendarTokens(): Promise<number>;
  saveSchedule(
    group: WorkingGroup,
    change: { setting: string; before: GroupSchedule; after: GroupSchedule },
  ): Promise<void>;
  snooze(item: Commitment, until: string): Promise<void>;
  bindChannel(group: WorkingGroup, binding: Omit<ChannelBinding, "groupId">): Promise<void>;
  /** A personal preference, not tracker data: no audit row. */
  setLanguage(language: Language): Promise<void>;
  /** The actor's own settings from their page (personal preferences: no audit row). */
  setPreferences(prefs: {
    language?: Language;
    timeZone?: string;
    remindersVia?: RemindersVia;
  }): Promise<void>;
  /** The actor opened their page now: "what changed since" starts here next time. */
  sawHome(): Promise<void>;
  /**
   * The secretariat's edited Annex A, in one transaction with audit rows naming the file; false
   * when `requestKey` was already applied (a redelivered message).
   */
  importAnnex(plan: ImportPlan, requestKey?: string): Promise<boolean>;
  /** The person behind a platform mention, known from now on (owners typed as @mentions). */
  personFor(identity: PlatformIdentity): Promise<Person>;
}

/**
 * The tracker as one person acting at one moment. Made for every command, so its methods live
 * on a prototype rather than as some twenty closures per request.
 */
class ActorTracker implements Tracker {
  constructor(
    private readonly store: Store,
    private readonly actor: Actor,
    private readonly at: string,
  ) {}
  createCommitment(input: NewItemInput) {
    return createCommitment(this.store, this.actor, input, this.at);
  }
  changeStatus(item: Commitment, status: Status) {
    return changeStatus(this.store, this.actor, item, status, this.at);
  }
  changeTimeline(item: Commitment, group: WorkingGroup, timeline: Timeline) {
    return changeTimeline(this.store, this.actor, item, group, timeline, this.at);
  }
  addNote(item: Commitment, text: string) {
    return addNote(this.store, this.actor, item, text, this.at);
  }
  addMilestone(...[item, group, title, timeline]: Parameters<Tracker["addMilestone"]>) {
    return addMilestone(this.store, this.actor, item, group, title, timeline, this.at);
  }
  completeMilestone(...[item, milestone]: Parameters<Tracker["completeMilestone"]>) {
    return completeMilestone(
      this.store,
      this.actor,
      item,
      milestone.id,
      milestone.position,
      this.at,
    );
  }
  logDecision(...[group, text, source]: Parameters<Tracker["logDecision"]>) {
    return logDecision(this.store, this.actor, group, text, source, this.at);
  }
  confirmDecision(...[group, decision]: Parameters<Tracker["confirmDecision"]>) {
    return confirmDecision(this.store, this.actor, group, decision, this.at);
  }
  scheduleMeeting(...[groups, details]: Parameters<Tracker["scheduleMeeting"]>) {
    return scheduleMeeting(this.store, this.actor, groups, details, this.at);
  }
  cancelMeeting(...[meeting, announce]: Parameters<Tracker["cancelMeeting"]>) {
    return cancelMeeting(this.store, this.actor, meeting, announce, this.at);
  }
  moveMeeting(...[meeting, startsAt, announce]: Parameters<Tracker["moveMeeting"]>) {
    return moveMeeting(this.store, this.actor, meeting, startsAt, announce, this.at);
  }
  calendarToken(groupId: number) {
    return calendarToken(this.store, this.actor, groupId, this.at);
  }
  revokeCalendarTokens() {
    return this.store.calendar.revoke(this.actor.person.id, this.at);
  }
  saveSchedule(...[group, change]: Parameters<Tracker["saveSchedule"]>) {
    return saveSchedule(this.store, this.actor, group, change, this.at);
  }
  snooze(...[item, until]: Parameters<Tracker["snooze"]>) {
    return snooze(this.store, this.actor, item, until, this.at);
  }
  bindChannel(...[group, binding]: Parameters<Tracker["bindChannel"]>) {
    return bindChannel(this.store, this.actor, group, binding, this.at);
  }
  setLanguage(...[language]: Parameters<Tracker["setLanguage"]>) {
    return this.store.people.setLanguage(this.actor.person.id, language);
  }
  setPreferences(...[prefs]: Parameters<Tracker["setPreferences"]>) {
    return this.store.people.setPreferences(this.actor.person.id, prefs);
  }
  sawHome() {
    return this.store.people.sawHome(this.actor.person.id, this.at);
  }
  importAnnex(plan: ImportPlan, requestKey?: string) {
    return applyImport(this.store, this.actor, plan, this.at, requestKey);
  }
  personFor(identity: PlatformIdentity) {
    return this.store.people.resolve(identity, {}, this.at);
  }
}

export function trackerFor(store: Store, actor: Actor, at: string): Tracker {
  return new ActorTracker(store, actor, at);
}
