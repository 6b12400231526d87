import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { ownerLabel, statusLabel } from "../render/items.js";
import { itemRef } from "../tracker/rules.js";
import type { Commitment, Milestone, WorkingGroup } from "../tracker/types.js";

// Annex A, the initiative tracker: one row per commitment, with the columns of the 2017 report
// (Initiative, Key Milestones, Timeline Proposed, Status, Participants, Comments) after the ID
// and group that let the secretariat's edited copy come back in.

export const ANNEX_FIELDS = [
  "id",
  "group",
  "initiative",
  "milestones",
  "timeline",
  "status",
  "participants",
  "comments",
] as const;
export type AnnexField = (typeof ANNEX_FIELDS)[number];
export type AnnexRow = Record<AnnexField, string>;

/**
 * The hidden sheet of an exported workbook holding every row as exported. The same row is in the
 * "All groups" sheet and its group's sheet; against this baseline the import sees which copy
 * someone edited, and importing the file a second time changes nothing.
 */
export const BASELINE_SHEET = "cmp-export";

/** Participants are separated by this in one cell; milestones go one per line. */
export const PARTICIPANT_SEPARATOR = "; ";

export function milestoneLine(m: Milestone): string {
  return `${m.position}. ${m.title}${m.timeline ? ` (${m.timeline.text})` : ""}`;
}

export function annexRow(l: Localizer, item: Commitment, milestones: Milestone[]): AnnexRow {
  return {
    id: itemRef(item),
    group: item.groupCode,
    initiative: item.title,
    milestones: [
      ...(item.description ? [item.description] : []),
      ...milestones.map(milestoneLine),
    ].join("\n"),
    // Timelines exactly as people wrote them: "February 2018 – August 2018 (tentative)".
    timeline: item.timeline?.text ?? "",
    status: statusLabel(l, item.status),
    participants: item.owners.map((o) => ownerLabel(l, o)).join(PARTICIPANT_SEPARATOR),
    comments: item.comments ?? "",
  };
}

/** How many commitments are read (with their milestones) per query. */
const BATCH = 200;

/**
 * Each group's Annex A rows, one group at a time, its commitments and their milestones read in
 * bounded batches (store.commitments.batches, in number order), so an export holds one group's
 * rows and one batch of commitments at most, never the whole tracker. `keep` picks the rows (the
 * report keeps what was open or closed in its period).
 */
export async function* annexRowsByGroup(
  store: StoreView,
  l: Localizer,
  groups: WorkingGroup[],
  keep: (item: Commitment) => boolean = () => true,
): AsyncGenerator<{ group: WorkingGroup; rows: AnnexRow[] }> {
  for (const group of groups) {
    const rows: AnnexRow[] = [];
    for await (const read of store.commitments.batches([group.id], BATCH)) {
      const batch = read.filter(keep);
      if (batch.length === 0) continue;
      const milestones = await store.commitments.milestonesFor(batch.map((i) => i.id));
      for (const item of batch) rows.push(annexRow(l, item, milestones.get(item.id) ?? []));
    }
    yield { group, rows };
  }
}
