import { ANNEX_FIELDS, type AnnexField } from "../annex/rows.js";
import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { dueLabel, meetingWhen, ownerLabel, statusLabel } from "../render/items.js";
import { decisionRef, itemRef } from "../tracker/rules.js";
import type { Commitment, WorkingGroup } from "../tracker/types.js";
import { type Chapter, chapter, confirmedAt, type ReportPeriod } from "./model.js";

// The report as localized, still unescaped text: headings, lines and Annex A's table. The
// Markdown and HTML renderers escape every string of it for their format.

export interface ReportLine {
  text: string;
  detail?: string;
  /** The conversation a decision came from. */
  url?: string;
}

export interface ReportSection {
  id: string;
  heading: string;
  lines: ReportLine[];
  /** Said when there are no lines. */
  empty: string;
}

export interface ReportChapter {
  id: string;
  heading: string;
  coChairs: { label: string; names: string }[];
  sections: ReportSection[];
  annex: { id: string; heading: string; header: string[]; rows: string[][] };
}

export interface ReportDocument {
  lang: string;
  title: string;
  period: string;
  generated: string;
  /** Shown for the partnership-wide report (more than one group). */
  contents: string | null;
  chapters: ReportChapter[];
}

const anchor = (group: WorkingGroup, part = "") => `wg-${group.code.toLowerCase()}${part}`;

function itemText(item: Commitment): string {
  return `${itemRef(item)} — ${item.title}`;
}

function owners(l: Localizer, item: Commitment): string {
  return item.owners.map((o) => ownerLabel(l, o)).join("; ");
}

/** The annex without the group column: the chapter names the group. */
const ANNEX_REPORT_FIELDS = ANNEX_FIELDS.filter((k) => k !== "group") as AnnexField[];

function render(l: Localizer, c: Chapter, zone: string): ReportChapter {
  const date = (at: string) => l.date(at, zone);
  const part = (key: string, suffix: string, lines: ReportLine[]): ReportSection => ({
    id: anchor(c.group, suffix),
    heading: l.t(`report:part.${key}`),
    lines,
    empty: l.t("report:nothing_recorded"),
  });
  const results: ReportLine[] = [
    ...c.results.map((item) => ({
      text: itemText(item),
      detail: [
        l.t("report:done_on", { date: date(item.closedAt ?? item.updatedAt) }),
        owners(l, item),
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    ...c.confirmed.map((d) => ({
      text: `${decisionRef(d)} — ${d.text}`,
      detail: l.t("report:decision_confirmed", { date: date(confirmedAt(d) ?? d.loggedAt) }),
      ...(d.source?.permalink ? { url: d.source.permalink } : {}),
    })),
  ];
  const future = c.future.map((item) => ({
    text: itemText(item),
    detail: [
      item.timeline ? item.timeline.text : dueLabel(l, item),
      statusLabel(l, item.status),
      owners(l, item),
    ]
      .filter(Boolean)
      .join(" · "),
  }));
  const challenges: ReportLine[] = [
    ...c.challenges.map(({ item, kind, note }) => ({
      text: itemText(item),
      detail: [
        l.t(`report:challenge.${kind}`, {
          date: date(
            kind === "dropped" ? (item.closedAt ?? item.updatedAt) : (item.dueAt ?? item.updatedAt),
          ),
          since: date(item.updatedAt),
        }),
        item.timeline?.text ?? "",
        note ? l.t("report:latest_note", { text: note }) : "",
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    ...c.awaiting.map((d) => ({
      text: `${decisionRef(d)} — ${d.text}`,
      detail: l.t("report:decision_awaiting", { date: date(d.loggedAt) }),
      ...(d.source?.permalink ? { url: d.source.permalink } : {}),
    })),
  ];
  const meetings = c.meetings.map((m) => ({
    text: m.title ?? l.t("common:meeting_default_title"),
    detail: [
      meetingWhen(l, m),
      m.groupCodes.length > 1 ? l.t("common:joint_session", { groups: l.list(m.groupCodes) }) : "",
    ]
      .filter(Boolean)
      .join(" · "),
  }));
  return {
    id: anchor(c.group),
    heading: `${c.group.names[l.lang]} (${c.group.code})`,
    coChairs: c.coChairs.map((cc) => ({
      label: l.t(`report:co_chairs_by.${cc.country}_${cc.sector}`),
      names: cc.names.length ? cc.names.join("; ") : l.t("report:to_be_named"),
    })),
    sections: [
      part("results", "-results", results),
      part("future", "-future", future),
      part("challenges", "-challenges", challenges),
      part("meetings", "-meetings", meetings),
    ],
    annex: {
      id: anchor(c.group, "-annex"),
      heading: l.t("report:annex_a", { code: c.group.code }),
      header: ANNEX_REPORT_FIELDS.map((k) => l.t(`export:column.${k}`)),
      rows: c.annex.map((row) => ANNEX_REPORT_FIELDS.map((k) => row[k])),
    },
  };
}

/** The report for the groups and period, in the reader's language; one group read at a time. */
export async function reportDocument(
  store: StoreView,
  l: Localizer,
  groups: WorkingGroup[],
  period: ReportPeriod,
  at: string,
): Promise<ReportDocument> {
  const chapters: ReportChapter[] = [];
  for (const group of groups)
    chapters.push(render(l, await chapter(store, l, group, period), group.timeZone));
  const last = new Date(Date.parse(period.to) - 1).toISOString();
  return {
    lang: l.lang,
    title:
      groups.length === 1 && groups[0]
        ? l.t("report:title_group", { name: groups[0].names[l.lang], code: groups[0].code })
        : l.t("report:title_all"),
    period: l.t("report:period", { from: l.date(period.from, "UTC"), to: l.date(last, "UTC") }),
    generated: l.t("report:generated", { date: l.date(at, "UTC") }),
    contents: groups.length > 1 ? l.t("report:contents") : null,
    chapters,
  };
}
