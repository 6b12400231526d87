// Domain types shared by the whole core. Plain data; rules live beside them.

export const LANGUAGES = ["en", "es", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export const COUNTRIES = ["CA", "MX"] as const;
export type Country = (typeof COUNTRIES)[number];

export type Sector = "public" | "private";

export type Platform = "slack" | "teams" | "console";

/** How precisely a person stated a date. A quarter stays a quarter when shown back. */
export type Precision = "day" | "month" | "quarter" | "half" | "year";

/** "early 2018", "beginning of 2018", "end of January": a part of the window, kept so it shows back as typed. */
export type Qualifier = "start" | "early" | "mid" | "late" | "end";

/** A calendar window, inclusive, as ISO dates (YYYY-MM-DD) in the group's local calendar. */
export interface Period {
  precision: Precision;
  start: string;
  end: string;
  qualifier?: Qualifier;
}

/** One phase of a timeline: "June–December 2018 execution (tentative)". */
export interface Phase {
  from?: Period;
  until: Period;
  label?: string;
  tentative: boolean;
}

/**
 * What people typed, verbatim, beside what it means. `phases` is empty for
 * open phrases such as "(medium term)" that carry no date.
 */
export interface Timeline {
  text: string;
  phases: Phase[];
  /** The bot could not read it (an imported phrase): kept verbatim until a co-chair fixes it. */
  unread?: boolean;
}

export const STATUSES = [
  "introduction",
  "formalization",
  "in_progress",
  "blocked",
  "done",
  "dropped",
] as const;
export type Status = (typeof STATUSES)[number];
export const CLOSED_STATUSES: readonly Status[] = ["done", "dropped"];

export type Role = "admin" | "co_chair" | "member";

export type Visibility = "partnership" | "restricted";

export interface WorkingGroup {
  id: number;
  code: string;
  names: Record<Language, string>;
  timeZone: string;
  languages: Language[];
  visibility: Visibility;
  /** Bilateral by default: a co-chair of each country confirms a decision. */
  confirmationsRequired: 1 | 2;
  active: boolean;
  /**
   * Changes with every write to what the group's `status` shows, in any replica: a reply
   * computed at one revision (and minute) holds until it moves. Absent on groups not read
   * from the store.
   */
  revision?: number;
}

export interface Person {
  id: number;
  displayName: string;
  isAdmin: boolean;
  country: Country | null;
  language: Language | null;
  /** Chosen with `lang`: wins over the platform's client locale. */
  languageChosen: boolean;
  timeZone: string | null;
  /** How reminders of their own items reach them; direct messages when unset. */
  remindersVia?: RemindersVia;
  /** When they last opened their page (`home`), for "what changed since". */
  homeSeenAt?: string | null;
}

/** Direct messages (else the channel), the group's channel, or nothing but the weekly digest. */
export type RemindersVia = "direct" | "channel" | "digest";
export const REMINDERS_VIA: readonly RemindersVia[] = ["direct", "channel", "digest"];

export interface Membership {
  groupId: number;
  personId: number;
  role: "co_chair" | "member";
  country: Country | null;
  sector: Sector;
}

export type Owner =
  | { kind: "person"; personId: number; displayName: string }
  | {
      kind: "organisation";
      name: string;
      country: Country | null;
      sector: Sector | null;
      tbc: boolean;
    };

export interface Commitment {
  id: number;
  groupId: number;
  groupCode: string;
  number: number;
  title: string;
  description: string | null;
  status: Status;
  timeline: Timeline | null;
  /** End of the timeline's last window, as a UTC instant; null when undated. */
  dueAt: string | null;
  owners: Owner[];
  comments: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface Milestone {
  id: number;
  commitmentId: number;
  position: number;
  title: string;
  timeline: Timeline | null;
  doneAt: string | null;
}

export interface CommitmentUpdate {
  id: number;
  commitmentId: number;
  kind: "created" | "status" | "note" | "milestone";
  fromStatus: Status | null;
  toStatus: Status | null;
  text: string | null;
  authorName: string;
  at: string;
}

export interface MessageSource {
  platform: Platform;
  channelId: string;
  messageId: string | null;
  permalink: string | null;
  authorName: string | null;
  saidAt: string | null;
}

export interface Decision {
  id: number;
  groupId: number;
  groupCode: string;
  number: number;
  text: string;
  status: "proposed" | "confirmed";
  source: MessageSource | null;
  loggedByName: string;
  loggedAt: string;
  confirmations: { personId: number; displayName: string; country: Country | null; at: string }[];
}

export interface Meeting {
  id: number;
  groupCodes: string[];
  groupIds: number[];
  title: string | null;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  callLink: string | null;
  agendaLink: string | null;
  createdAt: string;
}

export interface ChannelBinding {
  groupId: number;
  platform: Platform;
  channelId: string;
}
