import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import type { Commitment } from "../tracker/types.js";
import { ownerLabel, statusLabel } from "./items.js";

/** Annex A's columns after the initiative itself, as the CSV export and the report show them. */
export const ANNEX_COLUMNS = [
  "milestones",
  "timeline",
  "status",
  "participants",
  "comments",
] as const;

/** One commitment as Annex A's cells: key milestones (one per line), timeline as typed, … */
export async function annexCells(
  store: StoreView,
  l: Localizer,
  item: Commitment,
): Promise<string[][]> {
  const milestones = await store.commitments.milestones(item.id);
  return [
    [
      ...(item.description ? [item.description] : []),
      ...milestones.map(
        (m) => `${m.position}. ${m.title}${m.timeline ? ` (${m.timeline.text})` : ""}`,
      ),
    ],
    [item.timeline?.text ?? ""],
    [statusLabel(l, item.status)],
    item.owners.map((o) => ownerLabel(l, o)),
    [item.comments ?? ""],
  ];
}
