import type { Generated } from "kysely";

// Row shapes as stored: snake_case, ISO text timestamps, 0/1 booleans. Mappers in the
// repositories turn them into the core's domain types.

export interface WorkingGroupsTable {
  id: Generated<number>;
  code: string;
  name_en: string;
  name_es: string;
  name_fr: string;
  time_zone: string;
  languages: string;
  visibility: string;
  confirmations_required: number;
  active: number;
  created_at: string;
  /** Bumped by every write to what the group's `status` shows (migration 008). */
  revision: Generated<number>;
}

/** A group's items counted by status, kept with every change (migration 008). */
export interface GroupCountsTable {
  group_id: number;
  status: string;
  n: number;
}

export interface PeopleTable {
  id: Generated<number>;
  handle: string | null;
  display_name: string;
  organisation: string | null;
  is_admin: number;
  country: string | null;
  language: string | null;
  language_chosen: number;
  time_zone: string | null;
  created_at: string;
  /** "direct" (the default when null), "channel" or "digest" (migration 007). */
  reminders_via: Generated<string | null>;
  home_seen_at: Generated<string | null>;
}

export interface IdentitiesTable {
  platform: string;
  external_id: string;
  person_id: number;
}

export interface MembershipsTable {
  group_id: number;
  person_id: number;
  role: string;
  country: string | null;
  sector: string;
}

export interface ChannelBindingsTable {
  platform: string;
  channel_id: string;
  group_id: number;
  conversation_ref: string | null;
  created_at: string;
}

export interface CommitmentsTable {
  id: Generated<number>;
  group_id: number;
  number: number;
  title: string;
  description: string | null;
  status: string;
  timeline_text: string | null;
  timeline_json: string | null;
  due_at: string | null;
  comments: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface CommitmentOwnersTable {
  id: Generated<number>;
  commitment_id: number;
  position: number;
  person_id: number | null;
  org_name: string | null;
  country: string | null;
  sector: string | null;
  tbc: number;
}

export interface MilestonesTable {
  id: Generated<number>;
  commitment_id: number;
  position: number;
  title: string;
  timeline_text: string | null;
  timeline_json: string | null;
  due_at: string | null;
  done_at: string | null;
}

export interface CommitmentUpdatesTable {
  id: Generated<number>;
  commitment_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  text: string | null;
  author_person_id: number | null;
  author_name: string;
  at: string;
}

export interface DecisionsTable {
  id: Generated<number>;
  group_id: number;
  number: number;
  text: string;
  status: string;
  source_platform: string | null;
  source_channel_id: string | null;
  source_message_id: string | null;
  source_permalink: string | null;
  source_author: string | null;
  source_said_at: string | null;
  logged_by_person_id: number | null;
  logged_by_name: string;
  logged_at: string;
  confirmed_at: string | null;
}

export interface DecisionConfirmationsTable {
  decision_id: number;
  person_id: number;
  country: string | null;
  at: string;
}

export interface MeetingsTable {
  id: Generated<number>;
  title: string | null;
  starts_at: string;
  duration_minutes: number;
  time_zone: string;
  call_link: string | null;
  created_by: number | null;
  created_at: string;
  cancelled_at: string | null;
  sequence: Generated<number>;
  agenda_link: string | null;
  updated_at: string | null;
}

export interface MeetingGroupsTable {
  meeting_id: number;
  group_id: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_person_id: number | null;
  actor_name: string;
  entity: string;
  entity_ref: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
}

export interface ProcessedRequestsTable {
  request_key: string;
  at: string;
  result_ref: string | null;
}

export interface ConversationRefsTable {
  platform: string;
  conversation_id: string;
  ref_json: string;
  person_id: number | null;
  updated_at: string;
}

export interface GroupSchedulesTable {
  group_id: number;
  digest_weekday: number;
  digest_time: string;
  reminder_days: string;
  reminder_overdue_weekly: number;
  reminder_time: string;
  reminder_to: string;
  agenda_lead_hours: number;
  holiday_countries: string;
  paused: number;
  ratify_days: Generated<number>;
  threads: Generated<number>;
  updated_at: string;
}

export interface SnoozesTable {
  commitment_id: number;
  person_id: number | null;
  until: string;
  created_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  delivery_key: string;
  occasion_key: string;
  kind: string;
  group_id: number;
  platform: string | null;
  channel_id: string | null;
  thread_id: string | null;
  /** The commitment whose thread this post starts or goes into (migration 007). */
  thread_of: Generated<number | null>;
  person_id: number | null;
  user_id: string | null;
  languages: string;
  due_at: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  lease_until: string | null;
  reconcile: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  doc_json: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SchedulerStateTable {
  name: string;
  value: string;
}

export interface CalendarTokensTable {
  id: Generated<number>;
  token: string;
  person_id: number;
  group_id: number | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ItemThreadsTable {
  commitment_id: number;
  platform: string;
  channel_id: string;
  thread_id: string;
  created_at: string;
}

export interface Database {
  working_groups: WorkingGroupsTable;
  group_counts: GroupCountsTable;
  people: PeopleTable;
  identities: IdentitiesTable;
  memberships: MembershipsTable;
  channel_bindings: ChannelBindingsTable;
  commitments: CommitmentsTable;
  commitment_owners: CommitmentOwnersTable;
  milestones: MilestonesTable;
  commitment_updates: CommitmentUpdatesTable;
  decisions: DecisionsTable;
  decision_confirmations: DecisionConfirmationsTable;
  meetings: MeetingsTable;
  meeting_groups: MeetingGroupsTable;
  audit_log: AuditLogTable;
  processed_requests: ProcessedRequestsTable;
  conversation_refs: ConversationRefsTable;
  group_schedules: GroupSchedulesTable;
  snoozes: SnoozesTable;
  deliveries: DeliveriesTable;
  scheduler_state: SchedulerStateTable;
  calendar_tokens: CalendarTokensTable;
  item_threads: ItemThreadsTable;
}
