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

export function trackerFor(store: Store, actor: Actor, at: string): Tracker {
  return {
    createCommitment: (input) => createCommitment(store, actor, input, at),
    changeStatus: (item, status) => changeStatus(store, actor, item, status, at),
    changeTimeline: (item, group, timeline) =>
      changeTimeline(store, actor, item, group, timeline, at),
    addNote: (item, text) => addNote(store, actor, item, text, at),
    addMilestone: (item, group, title, timeline) =>
      addMilestone(store, actor, item, group, title, timeline, at),
    completeMilestone: (item, milestone) =>
      completeMilestone(store, actor, item, milestone.id, milestone.position, at),
    logDecision: (group, text, source) => logDecision(store, actor, group, text, source, at),
    confirmDecision: (group, decision) => confirmDecision(store, actor, group, decision, at),
    scheduleMeeting: (groups, details) => scheduleMeeting(store, actor, groups, details, at),
    cancelMeeting: (meeting, announce) => cancelMeeting(store, actor, meeting, announce, at),
    moveMeeting: (meeting, startsAt, announce) =>
      moveMeeting(store, actor, meeting, startsAt, announce, at),
    calendarToken: (groupId) => calendarToken(store, actor, groupId, at),
    revokeCalendarTokens: () => store.calendar.revoke(actor.person.id, at),
    saveSchedule: (group, change) => saveSchedule(store, actor, group, change, at),
    snooze: (item, until) => snooze(store, actor, item, until, at),
    bindChannel: (group, binding) => bindChannel(store, actor, group, binding, at),
    setLanguage: (language) => store.people.setLanguage(actor.person.id, language),
    setPreferences: (prefs) => store.people.setPreferences(actor.person.id, prefs),
    sawHome: () => store.people.sawHome(actor.person.id, at),
    importAnnex: (plan, requestKey) => applyImport(store, actor, plan, at, requestKey),
    personFor: (identity) => store.people.resolve(identity, {}, at),
  };
}
