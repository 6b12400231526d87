import type { Kysely, Selectable, Transaction } from "kysely";
import type {
  Country,
  Language,
  Meeting,
  Milestone,
  Owner,
  Person,
  RemindersVia,
  Sector,
  Timeline,
  WorkingGroup,
} from "../../core/tracker/types.js";
import type {
  Database,
  MeetingsTable,
  MilestonesTable,
  PeopleTable,
  WorkingGroupsTable,
} from "../schema.js";

// Row ↔ domain mappers shared by the repositories: snake_case rows, ISO text, 0/1 booleans in;
// the core's types out.

/** A repository runs on the root connection or inside a transaction alike. */
export type Db = Kysely<Database> | Transaction<Database>;

export const bool = (value: boolean): number => (value ? 1 : 0);

/**
 * Ids per `IN (…)` list: a list that grows with the data would pass SQLite's 32,766 bound
 * variables (PostgreSQL: 65,535 parameters) and fail.
 */
export const IN_LIST_CHUNK = 500;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function toGroup(row: Selectable<WorkingGroupsTable>): WorkingGroup {
  return {
    id: row.id,
    code: row.code,
    names: { en: row.name_en, es: row.name_es, fr: row.name_fr },
    timeZone: row.time_zone,
    languages: row.languages.split(",").filter(Boolean) as Language[],
    visibility: row.visibility === "restricted" ? "restricted" : "partnership",
    confirmationsRequired: Number(row.confirmations_required) === 1 ? 1 : 2,
    active: Number(row.active) === 1,
    revision: Number(row.revision ?? 0),
  };
}

export function toPerson(row: Selectable<PeopleTable>): Person {
  return {
    id: row.id,
    displayName: row.display_name,
    isAdmin: Number(row.is_admin) === 1,
    country: (row.country as Country | null) ?? null,
    language: (row.language as Language | null) ?? null,
    languageChosen: Number(row.language_chosen) === 1,
    timeZone: row.time_zone,
    remindersVia: (row.reminders_via as RemindersVia | null) ?? "direct",
    homeSeenAt: row.home_seen_at ?? null,
  };
}

export function parseTimeline(json: string | null): Timeline | null {
  return json ? (JSON.parse(json) as Timeline) : null;
}

export function toMilestone(row: Selectable<MilestonesTable>): Milestone {
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    position: row.position,
    title: row.title,
    timeline: parseTimeline(row.timeline_json),
    doneAt: row.done_at,
  };
}

export function toMeeting(
  row: Selectable<MeetingsTable>,
  groups: { id: number; code: string }[],
): Meeting {
  return {
    id: row.id,
    groupIds: groups.map((g) => g.id),
    groupCodes: groups.map((g) => g.code),
    title: row.title,
    startsAt: row.starts_at,
    // PostgreSQL's driver may give an integer column as a string.
    durationMinutes: Number(row.duration_minutes),
    timeZone: row.time_zone,
    callLink: row.call_link,
    agendaLink: row.agenda_link,
    createdAt: row.created_at,
  };
}

export interface OwnerRow {
  commitment_id: number;
  person_id: number | null;
  org_name: string | null;
  country: string | null;
  sector: string | null;
  tbc: number;
  display_name: string | null;
}

export function toOwner(o: OwnerRow): Owner {
  return o.person_id !== null
    ? { kind: "person", personId: o.person_id, displayName: o.display_name ?? "?" }
    : {
        kind: "organisation",
        name: o.org_name ?? "",
        country: (o.country as Country | null) ?? null,
        sector: (o.sector as Sector | null) ?? null,
        tbc: Number(o.tbc) === 1,
      };
}

/** The groups of each meeting (joint sessions have several), by code, in bounded batches. */
export async function meetingGroups(
  db: Db,
  meetingIds: number[],
): Promise<Map<number, { id: number; code: string }[]>> {
  const map = new Map<number, { id: number; code: string }[]>();
  for (const chunk of chunks(meetingIds, IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom("meeting_groups")
      .innerJoin("working_groups", "working_groups.id", "meeting_groups.group_id")
      .select(["meeting_groups.meeting_id", "working_groups.id", "working_groups.code"])
      .where("meeting_groups.meeting_id", "in", chunk)
      .orderBy("working_groups.code")
      .execute();
    for (const r of rows) {
      const list = map.get(r.meeting_id) ?? [];
      list.push({ id: r.id, code: r.code });
      map.set(r.meeting_id, list);
    }
  }
  return map;
}
