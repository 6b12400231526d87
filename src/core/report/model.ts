import { type AnnexRow, annexRowsByGroup } from "../annex/rows.js";
import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import type {
  Commitment,
  Country,
  Decision,
  Meeting,
  Sector,
  WorkingGroup,
} from "../tracker/types.js";

// What the annual report says about each group for a period, gathered once and rendered as
// Markdown or HTML. The sections follow the CMP report (2017 edition): co-chairs, results,
// future activities, challenges, meetings held, Annex A. Nothing outside the period appears.

/** [from, to): ISO-8601 UTC instants. */
export interface ReportPeriod {
  from: string;
  to: string;
}

/** An item counts as stalled when nothing was recorded on it for this long. */
const STALLED_DAYS = 90;
/** Commitments read per query while a chapter is gathered. */
const ITEM_BATCH = 500;

export type ChallengeKind = "overdue" | "blocked" | "stalled" | "dropped";

export interface Challenge {
  item: Commitment;
  kind: ChallengeKind;
  /** The latest note written on the item within the period, as written. */
  note: string | null;
}

export interface CoChairs {
  country: Country;
  sector: Sector;
  names: string[];
}

export interface Chapter {
  group: WorkingGroup;
  coChairs: CoChairs[];
  /** Done within the period, with the day each was closed. */
  results: Commitment[];
  confirmed: Decision[];
  future: Commitment[];
  challenges: Challenge[];
  /** Decisions logged by the end of the period and still awaiting a side then. */
  awaiting: Decision[];
  meetings: Meeting[];
  annex: AnnexRow[];
}

const within = (at: string | null, p: ReportPeriod) => at !== null && at >= p.from && at < p.to;

/** When a decision became confirmed: its last confirmation, else when it was logged as such. */
export function confirmedAt(d: Decision): string | null {
  if (d.status !== "confirmed") return null;
  const times = d.confirmations.map((c) => c.at).sort();
  return times.at(-1) ?? d.source?.saidAt ?? d.loggedAt;
}

function openAtEnd(item: Commitment, p: ReportPeriod): boolean {
  return item.createdAt < p.to && (item.closedAt === null || item.closedAt >= p.to);
}

function challengeKind(item: Commitment, p: ReportPeriod): ChallengeKind | null {
  if (item.status === "dropped" && within(item.closedAt, p)) return "dropped";
  if (!openAtEnd(item, p)) return null;
  if (item.status === "blocked") return "blocked";
  if (item.dueAt !== null && item.dueAt < p.to) return "overdue";
  const quiet = new Date(Date.parse(p.to) - STALLED_DAYS * 86_400_000).toISOString();
  if (item.updatedAt < quiet) return "stalled";
  return null;
}

async function coChairs(store: StoreView, group: WorkingGroup): Promise<CoChairs[]> {
  const members = await store.people.members(group.id);
  const out: CoChairs[] = [];
  for (const country of ["MX", "CA"] as const)
    for (const sector of ["public", "private"] as const) {
      const names = members
        .filter((m) => m.role === "co_chair" && m.country === country && m.sector === sector)
        .map((m) => m.person.displayName);
      if (names.length > 0 || sector === "public") out.push({ country, sector, names });
    }
  return out;
}

async function latestNote(
  store: StoreView,
  item: Commitment,
  p: ReportPeriod,
): Promise<string | null> {
  const notes = (await store.commitments.updates(item.id)).filter(
    (u) => u.kind === "note" && u.text && u.at < p.to,
  );
  return notes.at(-1)?.text ?? null;
}

/** Meetings of the group that started in the period, joint sessions included. */
async function meetingsIn(
  store: StoreView,
  group: WorkingGroup,
  p: ReportPeriod,
): Promise<Meeting[]> {
  const meetings = await store.meetings.upcoming([group.id], p.from, 1000);
  return meetings.filter((m) => m.startsAt < p.to);
}

/**
 * One group's chapter: its items are read in bounded batches, once, keeping only what the
 * chapter shows (results, what remains, challenges); the annex reads its own batches.
 */
export async function chapter(
  store: StoreView,
  l: Localizer,
  group: WorkingGroup,
  period: ReportPeriod,
): Promise<Chapter> {
  const decisions = (await store.decisions.list([group.id], 10_000)).sort(
    (a, b) => a.number - b.number,
  );
  const challenges: Challenge[] = [];
  const results: Commitment[] = [];
  const remaining: Commitment[] = [];
  // Batches come in number order, so every list below is in number order too.
  for await (const batch of store.commitments.batches([group.id], ITEM_BATCH)) {
    for (const item of batch) {
      const kind = challengeKind(item, period);
      if (kind) challenges.push({ item, kind, note: await latestNote(store, item, period) });
      else if (openAtEnd(item, period)) remaining.push(item);
      if (item.status === "done" && within(item.closedAt, period)) results.push(item);
    }
  }
  const inAnnex = (i: Commitment) => openAtEnd(i, period) || within(i.closedAt, period);
  let annex: AnnexRow[] = [];
  for await (const part of annexRowsByGroup(store, l, [group], inAnnex)) annex = part.rows;
  return {
    group,
    coChairs: await coChairs(store, group),
    results,
    confirmed: decisions.filter((d) => within(confirmedAt(d), period)),
    future: remaining,
    challenges,
    awaiting: decisions.filter(
      (d) =>
        d.loggedAt < period.to && (d.status === "proposed" || (confirmedAt(d) ?? "") >= period.to),
    ),
    meetings: await meetingsIn(store, group, period),
    annex,
  };
}

/**
 * The default period: since the last annual meeting recorded (a meeting of every active
 * group of the partnership), else the calendar year, both up to now.
 */
export async function defaultPeriod(store: StoreView, now: Date): Promise<ReportPeriod> {
  const to = now.toISOString();
  const groups = (await store.groups.all()).filter(
    (g) => g.active && g.visibility === "partnership",
  );
  const since = `${now.getUTCFullYear() - 2}-01-01T00:00:00.000Z`;
  const annual = (await store.meetings.upcoming(null, since, 1000))
    .filter((m) => m.startsAt < to && groups.length > 1)
    .filter((m) => groups.every((g) => m.groupIds.includes(g.id)))
    .at(-1);
  return { from: annual?.startsAt ?? `${now.getUTCFullYear()}-01-01T00:00:00.000Z`, to };
}

export function yearPeriod(year: number): ReportPeriod {
  return { from: `${year}-01-01T00:00:00.000Z`, to: `${year + 1}-01-01T00:00:00.000Z` };
}
