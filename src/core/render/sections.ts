import type { Localizer } from "../i18n.js";
import type { Commitment, Decision, Meeting, WorkingGroup } from "../tracker/types.js";
import { decisionLine, itemLine, meetingLine } from "./items.js";
import type { Block, ListItem } from "./message.js";

// The sections `status`, the weekly digest, agendas and summaries are made of: a list of items,
// of decisions, the next meeting, a group's heading. Each cut long lists the same way.

/** The first entries of a list, ready to be shown, and how many there are in all. */
export interface Listed<T = Commitment> {
  shown: T[];
  total: number;
  /** Where to see the rest ("All of them: /cmp list TIIWG overdue"), under "…and N more". */
  more?: string;
}

/** The first `limit` of `all`. */
export function firstOf<T>(all: T[], limit: number): Listed<T> {
  return { shown: all.slice(0, limit), total: all.length };
}

/** "TIIWG — Trade, Investment and Innovation", in the reader's language. */
export function groupHeading(l: Localizer, group: WorkingGroup): string {
  return `${group.code} — ${group.names[l.lang]}`;
}

function cut(l: Localizer, lines: ListItem[], list: Listed<unknown>): ListItem[] {
  if (list.total > list.shown.length)
    lines.push({
      text: l.t("common:and_more", { count: list.total - list.shown.length }),
      ...(list.more === undefined ? {} : { detail: list.more }),
    });
  return lines;
}

export function itemSection(
  l: Localizer,
  heading: { title: string; empty: string },
  list: Listed,
  now: Date,
  withActions = false,
  /** A word put first in an item's detail ("stalled"), when it has one. */
  flag?: (item: Commitment) => string | null,
): Block {
  const lines = list.shown.map((i) => {
    const line = itemLine(l, i, now, withActions);
    const word = flag?.(i);
    return word ? { ...line, detail: line.detail ? `${word} · ${line.detail}` : word } : line;
  });
  const items = cut(l, lines, list);
  return { type: "list", title: heading.title, items, empty: heading.empty };
}

export function decisionSection(
  l: Localizer,
  heading: { title: string; empty: string },
  list: Listed<Decision>,
  group: Pick<WorkingGroup, "timeZone" | "confirmationsRequired">,
): Block {
  const items = cut(
    l,
    list.shown.map((d) => decisionLine(l, d, group)),
    list,
  );
  return { type: "list", title: heading.title, items, empty: heading.empty };
}

export function meetingSection(
  l: Localizer,
  heading: { title: string; empty: string },
  meeting: Meeting | null,
): Block {
  const items = meeting ? [meetingLine(l, meeting)] : [];
  return { type: "list", title: heading.title, items, empty: heading.empty };
}
