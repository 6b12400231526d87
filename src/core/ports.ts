import type { CalendarMeeting } from "./calendar/feed.js";
import type { ScheduleRepository } from "./schedule/repository.js";
import type {
  ChannelBinding,
  Commitment,
  CommitmentUpdate,
  Country,
  Decision,
  Language,
  Meeting,
  Membership,
  MessageSource,
  Milestone,
  Owner,
  Person,
  Platform,
  RemindersVia,
  Sector,
  Status,
  Timeline,
  Visibility,
  WorkingGroup,
} from "./tracker/types.js";

// The ports the core needs from the outside world. Implemented in src/db (store) and by the
// platform adapters (Notifier); the core never sees a driver or an SDK.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured logging (pino's shape); secrets are redacted where the logger is made. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PlatformIdentity {
  platform: Platform;
  userId: string;
  displayName: string;
}

export interface NewGroup {
  code: string;
  names: Record<Language, string>;
  timeZone: string;
  languages: Language[];
  visibility: Visibility;
  confirmationsRequired: 1 | 2;
}

export interface NewPerson {
  handle: string | null;
  displayName: string;
  organisation?: string | null;
  isAdmin: boolean;
  country: Country | null;
  language: Language | null;
  timeZone: string | null;
}

export type OwnerInput =
  | { kind: "person"; personId: number }
  | {
      kind: "organisation";
      name: string;
      country: Country | null;
      sector: Sector | null;
      tbc: boolean;
    };

export interface NewCommitment {
  groupId: number;
  title: string;
  description: string | null;
  status: Status;
  timeline: Timeline | null;
  dueAt: string | null;
  closedAt: string | null;
  owners: OwnerInput[];
  comments: string | null;
  createdBy: number | null;
  at: string;
}

export interface CommitmentFilter {
  groupIds?: number[];
  /** true: open only; false: closed only; undefined: both. */
  open?: boolean;
  dueBefore?: string;
  dueFrom?: string;
  ownerPersonId?: number;
  /** Only items whose timeline the bot could not read (they carry no due moment). */
  unreadTimeline?: boolean;
  limit?: number;
}

/** A window onto a long result: at most `limit` rows after skipping `offset`. */
export interface PageRequest {
  limit: number;
  offset: number;
  /**
   * Count the matching rows only this far (and through this page), so the count costs what a
   * reply shows; `more` then says there are more. Without it the count is exact.
   */
  countUpTo?: number;
}

/** One page of rows and how many there are in all (at least, when `more`). */
export interface Page<T> {
  items: T[];
  total: number;
  /** The count stopped at `PageRequest.countUpTo`: there are more than `total`. */
  more?: boolean;
}

export interface NewDecision {
  groupId: number;
  text: string;
  status: "proposed" | "confirmed";
  source: MessageSource | null;
  loggedBy: { personId: number | null; name: string };
  at: string;
}

export interface NewMeeting {
  groupIds: number[];
  title: string | null;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  callLink: string | null;
  agendaLink: string | null;
  createdBy: number | null;
  at: string;
}

export interface AuditEntry {
  at: string;
  actor: { personId: number | null; name: string };
  entity: string;
  ref: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface GroupRepository {
  byCode(code: string): Promise<WorkingGroup | null>;
  byId(id: number): Promise<WorkingGroup | null>;
  all(): Promise<WorkingGroup[]>;
  upsert(group: NewGroup, at: string): Promise<WorkingGroup>;
  forChannel(platform: Platform, channelId: string): Promise<WorkingGroup | null>;
  bindChannel(binding: ChannelBinding, at: string): Promise<void>;
  channels(groupId: number): Promise<ChannelBinding[]>;
}

export interface PeopleRepository {
  byId(id: number): Promise<Person | null>;
  byHandle(handle: string): Promise<Person | null>;
  byIdentity(platform: Platform, userId: string): Promise<Person | null>;
  /** Finds the person behind a platform account, creating one on first contact. */
  resolve(identity: PlatformIdentity, defaults: Partial<NewPerson>, at: string): Promise<Person>;
  upsertByHandle(person: NewPerson & { handle: string }, at: string): Promise<Person>;
  linkIdentity(personId: number, platform: Platform, userId: string): Promise<void>;
  setLanguage(personId: number, language: Language): Promise<void>;
  /** Their own settings, from their page: only the ones given change. */
  setPreferences(
    personId: number,
    prefs: { language?: Language; timeZone?: string; remindersVia?: RemindersVia },
  ): Promise<void>;
  sawHome(personId: number, at: string): Promise<void>;
  memberships(personId: number): Promise<Membership[]>;
  members(groupId: number): Promise<(Membership & { person: Person })[]>;
  setMembership(membership: Membership): Promise<void>;
}

export interface CommitmentRepository {
  create(input: NewCommitment): Promise<Commitment>;
  byNumber(groupId: number, number: number): Promise<Commitment | null>;
  byTitle(groupId: number, title: string): Promise<Commitment | null>;
  /** Every matching item: for exports and reports, never for a reply (use `page`). */
  list(filter: CommitmentFilter): Promise<Commitment[]>;
  /**
   * One page of the matching items, dated ones by due moment first, then undated ones, and the
   * total: costs the page, not the tracker (owners hydrated for the page's rows only).
   */
  page(filter: Omit<CommitmentFilter, "limit">, page: PageRequest): Promise<Page<Commitment>>;
  /**
   * Every item of the groups, group by group in number order, `size` at a time: an export or a
   * report holds one batch, never the whole tracker.
   */
  batches(groupIds: number[], size: number): AsyncIterable<Commitment[]>;
  /**
   * Open items per group (kept counters), and overdue ones (due before `now`) counted up to
   * `cap` per group: a figure equal to `cap` means "cap or more".
   */
  openCounts(
    groupIds: number[],
    now: string,
    cap: number,
  ): Promise<Map<number, { open: number; overdue: number }>>;
  /** A group's items by status, from counters kept with every change. */
  countByStatus(groupId: number): Promise<Partial<Record<Status, number>>>;
  /** `closedAt` is decided by the domain (rules.ts closedAtFor): the store keeps what it is given. */
  setStatus(id: number, status: Status, closedAt: string | null, at: string): Promise<void>;
  addUpdate(
    update: Omit<CommitmentUpdate, "id"> & { authorPersonId: number | null },
  ): Promise<void>;
  /** The item's history, oldest first; with `latest`, only that many of the newest. */
  updates(commitmentId: number, latest?: number): Promise<CommitmentUpdate[]>;
  milestones(commitmentId: number): Promise<Milestone[]>;
  /** The first `limit` milestones by position, and how many there are. */
  milestonePage(commitmentId: number, limit: number): Promise<Page<Milestone>>;
  addMilestone(
    commitmentId: number,
    title: string,
    timeline: Timeline | null,
    dueAt: string | null,
  ): Promise<Milestone>;
  completeMilestone(milestoneId: number, at: string): Promise<void>;
  /** The milestones of many commitments in one query, in order. */
  milestonesFor(commitmentIds: number[]): Promise<Map<number, Milestone[]>>;
  /** Changes the given fields (owners replaced as a whole); status goes through setStatus. */
  edit(id: number, patch: CommitmentEdit, at: string): Promise<void>;
}

export interface CommitmentEdit {
  title?: string;
  description?: string | null;
  timeline?: Timeline | null;
  dueAt?: string | null;
  comments?: string | null;
  owners?: OwnerInput[];
}

export interface DecisionRepository {
  create(input: NewDecision): Promise<Decision>;
  byNumber(groupId: number, number: number): Promise<Decision | null>;
  bySource(platform: Platform, channelId: string, messageId: string): Promise<Decision | null>;
  list(groupIds: number[], limit: number): Promise<Decision[]>;
  confirm(decisionId: number, personId: number, country: Country | null, at: string): Promise<void>;
  markConfirmed(decisionId: number, at: string): Promise<void>;
}

export interface MeetingRepository {
  create(input: NewMeeting): Promise<Meeting>;
  byId(id: number): Promise<Meeting | null>;
  upcoming(groupIds: number[] | null, from: string, limit: number): Promise<Meeting[]>;
}

/** Calendar feeds: who may read which feed, and the meeting changes subscribers must see. */
export interface CalendarRepository {
  /** The person's live token for a group's feed (null: the partnership's), `fresh` if none. */
  token(personId: number, groupId: number | null, fresh: string, at: string): Promise<string>;
  /** Whose feed a token opens; null for an unknown or revoked token. */
  byToken(token: string): Promise<{ personId: number; groupId: number | null } | null>;
  /** Revokes every feed token of the person; returns how many. */
  revoke(personId: number, at: string): Promise<number>;
  meeting(id: number): Promise<CalendarMeeting | null>;
  /** The groups' meetings starting from `from`, cancelled ones included, earliest first. */
  meetings(groupIds: number[], from: string, limit: number): Promise<CalendarMeeting[]>;
  /** Moves a meeting and raises its revision. */
  move(id: number, startsAt: string, at: string): Promise<void>;
  /** Cancels a meeting and raises its revision. */
  cancel(id: number, at: string): Promise<void>;
}

export interface AuditRepository {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * Proactive-messaging addresses. Teams can only post into a conversation whose reference it
 * stored when it was added or spoken to; `personId` marks a personal (1:1) conversation.
 */
export interface ConversationRepository {
  save(
    platform: Platform,
    conversationId: string,
    ref: unknown,
    personId: number | null,
    at: string,
  ): Promise<void>;
  get(platform: Platform, conversationId: string): Promise<unknown | null>;
  personal(
    platform: Platform,
    personId: number,
  ): Promise<{ conversationId: string; ref: unknown } | null>;
}

export interface RequestLedger {
  /** True the first time a key is seen; false for a retry or replay of the same request. */
  claim(key: string, at: string): Promise<boolean>;
}

export type { ScheduleRepository };

export interface Store {
  groups: GroupRepository;
  people: PeopleRepository;
  commitments: CommitmentRepository;
  decisions: DecisionRepository;
  meetings: MeetingRepository;
  audit: AuditRepository;
  requests: RequestLedger;
  conversations: ConversationRepository;
  schedule: ScheduleRepository;
  calendar: CalendarRepository;
  /** Runs `work` atomically; never await a platform call inside it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /**
   * Whether an error thrown by this store means it cannot write at all for now (its disk is
   * full, its file or database is read-only), and which; null for any other failure.
   */
  writeRefusal(error: unknown): "full" | "read_only" | null;
}

/** Repository methods that change state; a `StoreView` leaves them out. */
type WriteMethod =
  | "create"
  | "upsert"
  | "bindChannel"
  | "resolve"
  | "upsertByHandle"
  | "linkIdentity"
  | "setLanguage"
  | "setPreferences"
  | "sawHome"
  | "setMembership"
  | "setStatus"
  | "addUpdate"
  | "addMilestone"
  | "completeMilestone"
  | "edit"
  | "confirm"
  | "markConfirmed"
  | "saveSettings"
  | "saveItemThread"
  | "snooze"
  | "claim"
  | "recordTick"
  | "lease"
  | "markSent"
  | "markRetry"
  | "markFailed"
  | "expireStale"
  | "token"
  | "revoke"
  | "move"
  | "cancel";

/**
 * The store as commands and renderers see it: queries only. Every change goes through the
 * tracker service (core/tracker/service.ts), which also writes the audit row.
 */
export type StoreView = {
  readonly [K in Exclude<
    keyof Store,
    "transaction" | "writeRefusal" | "audit" | "requests" | "conversations"
  >]: Omit<Store[K], WriteMethod>;
};

export type { Owner };
