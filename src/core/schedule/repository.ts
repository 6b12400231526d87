import type { Platform } from "../tracker/types.js";
import type {
  Contact,
  Delivery,
  DueRef,
  GroupSchedule,
  ItemChange,
  ItemRef,
  NewDelivery,
  TimeRange,
} from "./types.js";

// The store's port for scheduled posts, beside the types it speaks in (re-exported by ports.ts).

/** Scheduled posts: settings, snoozes, the index scans a tick needs, and the delivery ledger. */
export interface ScheduleRepository {
  /** Settings of each group, defaults filled in for groups that never changed them. */
  settings(groupIds: number[]): Promise<Map<number, GroupSchedule>>;
  saveSettings(settings: GroupSchedule, at: string): Promise<void>;
  snooze(commitmentId: number, personId: number | null, until: string, at: string): Promise<void>;
  /** Snooze end per commitment, for those snoozed. */
  snoozes(commitmentIds: number[]): Promise<Map<number, string>>;
  /** Open commitments whose due moment falls in any of the ranges. */
  openDueIn(ranges: TimeRange[]): Promise<DueRef[]>;
  /** Every open commitment of the groups, dated ones by due moment first. */
  openItems(
    groupIds: number[],
  ): Promise<{ groupId: number; number: number; dueAt: string | null }[]>;
  /** The earliest due moment of any open commitment. */
  oldestOpenDue(): Promise<string | null>;
  /** Meetings (not cancelled) starting within the range: when, how long, since when known. */
  meetingsStartingIn(
    range: TimeRange,
  ): Promise<{ id: number; startsAt: string; durationMinutes: number; createdAt: string }[]>;
  decisionRefs(
    groupIds: number[],
    filter: { logged?: TimeRange; proposedOnly?: boolean },
  ): Promise<{ groupId: number; number: number }[]>;
  /** Decisions ratified (confirmed by every side needed) within the range, earliest first. */
  ratifiedIn(range: TimeRange): Promise<{ groupId: number; number: number }[]>;
  /** What happened to the groups' commitments within the range, oldest first. */
  changesIn(groupIds: number[], range: TimeRange): Promise<ItemChange[]>;
  /** The people among each commitment's owners. */
  personOwners(commitmentIds: number[]): Promise<Map<number, number[]>>;
  /** Every time zone people have set: where a direct reminder can land. */
  personZones(): Promise<string[]>;
  /** How to reach people: language, zone, country and platform accounts. */
  contacts(personIds: number[]): Promise<Contact[]>;
  /** Which of these occasions already have a ledger row (claimed, posted or skipped). */
  claimedOccasions(occasionKeys: string[]): Promise<Set<string>>;
  /** Inserts each row unless its key exists (ON CONFLICT DO NOTHING); returns how many were new. */
  claim(rows: NewDelivery[]): Promise<number>;
  lastTick(): Promise<string | null>;
  /** Moves the tick watermark forward (never back). */
  recordTick(at: string): Promise<void>;
  /** Pending deliveries due by `now` on these platforms, oldest first. */
  duePending(now: string, platforms: Platform[], limit: number): Promise<Delivery[]>;
  /** Takes a delivery for one attempt; false when another scheduler holds or finished it. */
  lease(id: number, now: string, until: string): Promise<boolean>;
  markSent(id: number, messageId: string, at: string): Promise<void>;
  markRetry(id: number, nextAttemptAt: string, error: string, reconcile: boolean): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /**
   * Pending deliveries whose next attempt was due before `before` and that nobody took (their
   * platform runs nowhere): recorded as failed with `reason`. Returns how many.
   */
  expireStale(before: string, reason: string): Promise<number>;
  /** Ledger rows of a group whose occasion is due in the range (for `upcoming` and tests). */
  deliveries(groupId: number, range: TimeRange): Promise<Delivery[]>;
  /** The root message of a commitment's thread in a channel, once its first post landed. */
  itemThread(commitmentId: number, platform: Platform, channelId: string): Promise<string | null>;
  saveItemThread(
    c: number,
    p: Platform,
    channelId: string,
    root: string,
    at: string,
  ): Promise<void>;
  /** The commitment whose thread this is, if the bot started it for one. */
  threadItem(p: Platform, channelId: string, root: string): Promise<ItemRef | null>;
}
