import type { MessageDoc } from "../render/message.js";
import type { Country, Language, Platform, RemindersVia } from "../tracker/types.js";

// Scheduled posts as data: a group's settings, the occasions they produce, and the delivery
// ledger rows that record who posted what.

/** Where a reminder goes: the owners (direct message), the group's channels, or both. */
export type ReminderTarget = "owners" | "channel" | "both";
export const REMINDER_TARGETS: readonly ReminderTarget[] = ["owners", "channel", "both"];

export interface GroupSchedule {
  groupId: number;
  /** ISO weekday of the weekly digest: 1 = Monday … 7 = Sunday. */
  digestWeekday: number;
  /** Local time "HH:MM" in the group's zone. */
  digestTime: string;
  /** Days before the due day that a reminder goes out; 0 is the due day itself. Descending. */
  reminderDays: number[];
  /** Once a week after the due day while the item stays open… */
  overdueWeekly: boolean;
  /**
   * …this many times; then the item is stalled. The deployment's CMP_OVERDUE_REMINDERS, the
   * same for every group (not one of the settings co-chairs change).
   */
  overdueReminders: number;
  /** Local time "HH:MM" of reminders, in the recipient's zone. */
  reminderTime: string;
  reminderTo: ReminderTarget;
  agendaLeadHours: number;
  /** Whose federal holidays move channel posts to the next working day. */
  holidayCountries: Country[];
  paused: boolean;
  /** Working days after a co-chair's first nudge about a decision before a reminder; 0: none. */
  ratifyDays: number;
  /** Posts about one commitment go into its thread in each channel (issue 13); off: top-level. */
  threads: boolean;
}

export type OccasionKind = "reminder" | "digest" | "agenda" | "summary" | "nudge" | "ratified";

/** What a ledger row posts: a scheduled occasion, or a notice claimed when something changed. */
export type DeliveryKind = OccasionKind | "notice" | "item_notice";

export type DeliveryStatus = "pending" | "sent" | "failed" | "skipped";

/** One post to one place: a channel of a group (or a thread in it), or a person's direct messages. */
export type Target =
  | {
      kind: "channel";
      platform: Platform;
      channelId: string;
      groupId: number;
      threadId?: string;
      /** The commitment whose thread this post goes into, or starts when `threadId` is unset. */
      threadOf?: number;
    }
  | { kind: "direct"; platform: Platform; userId: string; personId: number };

export interface NewDelivery {
  deliveryKey: string;
  occasionKey: string;
  kind: DeliveryKind;
  groupId: number;
  target: Target | null;
  languages: Language[];
  /** When the occasion is owed (UTC). */
  dueAt: string;
  status: "pending" | "skipped";
  /** Why a skipped occasion was not posted. */
  note: string | null;
  doc: MessageDoc | null;
  createdAt: string;
}

export interface Delivery {
  id: number;
  deliveryKey: string;
  occasionKey: string;
  kind: DeliveryKind;
  groupId: number;
  target: Target | null;
  languages: Language[];
  dueAt: string;
  status: DeliveryStatus;
  attempts: number;
  /** The last attempt's outcome is unknown: look for the post before trying again. */
  reconcile: boolean;
  lastError: string | null;
  messageId: string | null;
  doc: MessageDoc | null;
  createdAt: string;
  sentAt: string | null;
}

/** An open commitment's due moment, as the scheduler's index scan returns it. */
export interface DueRef {
  commitmentId: number;
  groupId: number;
  number: number;
  dueAt: string;
  createdAt: string;
}

/** A person as a direct message reaches them. */
export interface Contact {
  personId: number;
  displayName: string;
  language: Language | null;
  timeZone: string | null;
  country: Country | null;
  identities: { platform: Platform; userId: string }[];
  /** Their choice on their page: direct messages (default), the channel, or the digest only. */
  remindersVia?: RemindersVia;
}

export interface TimeRange {
  /** Inclusive, ISO-8601 UTC. */
  from: string;
  /** Inclusive, ISO-8601 UTC. */
  to: string;
}

/** A commitment by its group and number (TIIWG-2). */
export interface ItemRef {
  groupId: number;
  number: number;
}

export interface ItemChange {
  groupId: number;
  number: number;
  kind: "created" | "status" | "note" | "milestone";
  toStatus: string | null;
}
