import type { Actor } from "../actor.js";
import type { TableSheet } from "../documents.js";
import type { I18n, Localizer } from "../i18n.js";
import type { CommitmentEdit, OwnerInput, Store, StoreView } from "../ports.js";
import { closedAtFor, dueInstant, itemRef, parseRef } from "../tracker/rules.js";
import { recordUpdate, who } from "../tracker/service.js";
import { parseTimeline } from "../tracker/timeline.js";
import {
  type Commitment,
  LANGUAGES,
  type Owner,
  STATUSES,
  type Status,
  type Timeline,
  type WorkingGroup,
} from "../tracker/types.js";
import { type ReadProblem, type ReadRow, readSheets } from "./read.js";
import { type AnnexField, annexRow, milestoneLine, PARTICIPANT_SEPARATOR } from "./rows.js";

// The secretariat's round-trip: an Annex A edited in a spreadsheet comes back as a plan (what
// would be added, changed, left alone, and what could not be read, with row and column); the
// plan is applied only when asked, in one transaction with audit rows naming the file.

export type EditableField = Exclude<AnnexField, "id" | "group">;

export interface FieldChange {
  field: EditableField;
  before: string;
  after: string;
}

export interface ItemChange {
  item: Commitment;
  changes: FieldChange[];
  edit: CommitmentEdit;
  status: Status | null;
}

export interface Addition {
  group: WorkingGroup;
  sheet: string;
  line: number;
  title: string;
  description: string | null;
  timeline: Timeline | null;
  status: Status;
  owners: OwnerInput[];
  comments: string | null;
}

export interface ImportPlan {
  file: string;
  changed: ItemChange[];
  added: Addition[];
  unchanged: number;
  problems: ReadProblem[];
}

interface Context {
  store: StoreView;
  i18n: I18n;
  l: Localizer;
  groups: Map<string, WorkingGroup>;
  today: string;
}

function statusOf(i18n: I18n, text: string): Status | null {
  const wanted = text.trim().toLowerCase();
  for (const status of STATUSES) {
    if (status === wanted) return status;
    for (const lang of LANGUAGES)
      if (i18n.localizer(lang).t(`common:status.${status}`).toLowerCase() === wanted) return status;
  }
  return null;
}

/** "COMCE (Mexico) (TBC)" back to an owner, in any language; names of people stay people. */
async function ownersOf(
  ctx: Context,
  group: WorkingGroup,
  text: string,
  current: Owner[],
): Promise<OwnerInput[]> {
  if (text.trim() === "") return [];
  const members = await ctx.store.people.members(group.id);
  return text.split(PARTICIPANT_SEPARATOR.trim()).map((raw) => {
    let name = raw.trim();
    let tbc = false;
    let country: "CA" | "MX" | null = null;
    for (const lang of LANGUAGES) {
      const t = (k: string) => ctx.i18n.localizer(lang).t(k);
      if (name.endsWith(` ${t("common:tbc")}`)) {
        name = name.slice(0, -t("common:tbc").length - 1).trim();
        tbc = true;
      }
      for (const c of ["CA", "MX"] as const)
        if (name.endsWith(` (${t(`common:country.${c}`)})`)) {
          name = name.slice(0, -t(`common:country.${c}`).length - 3).trim();
          country = c;
        }
    }
    const person =
      current.find((o) => o.kind === "person" && o.displayName === name) ??
      members
        .map((m) => ({
          kind: "person" as const,
          personId: m.person.id,
          displayName: m.person.displayName,
        }))
        .find((p) => p.displayName === name);
    if (person?.kind === "person" && !tbc && country === null)
      return { kind: "person", personId: person.personId };
    const same = current.find((o) => o.kind === "organisation" && o.name === name);
    return {
      kind: "organisation",
      name,
      country,
      sector: same?.kind === "organisation" ? same.sector : null,
      tbc,
    };
  });
}

function ownersKey(owners: (OwnerInput | Owner)[]): string {
  return JSON.stringify(
    owners.map((o) => (o.kind === "person" ? ["p", o.personId] : ["o", o.name, o.country, o.tbc])),
  );
}

function readTimeline(
  ctx: Context,
  row: ReadRow,
  problems: ReadProblem[],
): Timeline | null | undefined {
  const text = row.cells.timeline ?? "";
  if (text === "") return null;
  const parsed = parseTimeline(text, { referenceDate: ctx.today });
  if (parsed.ok) return parsed.timeline;
  problems.push({
    sheet: row.sheet,
    line: row.line,
    column: row.columns.timeline ?? null,
    key: "import:problem.timeline",
    vars: { value: text },
  });
  return undefined;
}

async function diffRow(
  ctx: Context,
  row: ReadRow,
  item: Commitment,
  problems: ReadProblem[],
): Promise<ItemChange | null> {
  const milestones = (await ctx.store.commitments.milestonesFor([item.id])).get(item.id) ?? [];
  const was = annexRow(ctx.l, item, milestones);
  const out: ItemChange = { item, changes: [], edit: {}, status: null };
  const note = (field: EditableField, after: string) =>
    out.changes.push({ field, before: was[field], after });
  const cell = (f: EditableField) => row.cells[f];
  const problem = (field: EditableField, key: string, vars: Record<string, unknown> = {}) =>
    problems.push({
      sheet: row.sheet,
      line: row.line,
      column: row.columns[field] ?? null,
      key,
      vars,
    });
  const title = cell("initiative");
  if (title !== undefined && title !== item.title) {
    if (title === "") problem("initiative", "import:problem.no_initiative");
    else {
      note("initiative", title);
      out.edit.title = title;
    }
  }
  const described = cell("milestones");
  if (described !== undefined && described !== was.milestones) {
    // Milestones are numbered lines, kept as they are; the other lines are the description.
    const lines = described.split("\n");
    const kept = milestones.map(milestoneLine);
    if (kept.some((m) => !lines.includes(m))) problem("milestones", "import:problem.milestones");
    else {
      const description = lines
        .filter((x) => !kept.includes(x))
        .join("\n")
        .trim();
      note("milestones", described);
      out.edit.description = description === "" ? null : description;
    }
  }
  const timelineText = cell("timeline");
  if (timelineText !== undefined && timelineText !== was.timeline) {
    const timeline = readTimeline(ctx, row, problems);
    if (timeline !== undefined) {
      note("timeline", timelineText);
      out.edit.timeline = timeline;
      out.edit.dueAt = dueInstant(timeline, ctx.groups.get(item.groupCode)?.timeZone ?? "UTC");
    }
  }
  const statusText = cell("status");
  if (statusText !== undefined) {
    const status = statusOf(ctx.i18n, statusText);
    if (status === null) problem("status", "import:problem.status", { value: statusText });
    else if (status !== item.status) {
      note("status", statusText);
      out.status = status;
    }
  }
  const participants = cell("participants");
  const group = ctx.groups.get(item.groupCode);
  if (participants !== undefined && group && participants !== was.participants) {
    const owners = await ownersOf(ctx, group, participants, item.owners);
    if (ownersKey(owners) !== ownersKey(item.owners)) {
      note("participants", participants);
      out.edit.owners = owners;
    }
  }
  const comments = cell("comments");
  if (comments !== undefined && comments !== (item.comments ?? "")) {
    note("comments", comments);
    out.edit.comments = comments === "" ? null : comments;
  }
  return out.changes.length ? out : null;
}

const EDITABLE: EditableField[] = [
  "initiative",
  "milestones",
  "timeline",
  "status",
  "participants",
  "comments",
];

/** Reads the sheets against the tracker: nothing is written. */
export async function planImport(
  store: StoreView,
  i18n: I18n,
  l: Localizer,
  file: string,
  sheets: TableSheet[],
  groups: WorkingGroup[],
  today: string,
): Promise<ImportPlan> {
  const ctx: Context = { store, i18n, l, groups: new Map(groups.map((g) => [g.code, g])), today };
  const { rows, problems, baseline } = readSheets(i18n, sheets);
  const plan: ImportPlan = { file, changed: [], added: [], unchanged: 0, problems };
  // The same row appears in the "All groups" sheet and its group's sheet: an edit in either
  // counts; two different edits of one row are a conflict.
  const seen = new Map<string, ItemChange | null>();
  const newTitles = new Set<string>();
  for (const row of rows) {
    const id = row.cells.id ?? "";
    const problem = (column: AnnexField | null, key: string, vars: Record<string, unknown> = {}) =>
      plan.problems.push({
        sheet: row.sheet,
        line: row.line,
        column: column ? (row.columns[column] ?? null) : null,
        key,
        vars,
      });
    if (id !== "") {
      // A copy of a row left as it was exported says nothing: the edited copy, if any, decides.
      const exported = baseline.get(id);
      if (
        exported &&
        EDITABLE.every((f) => row.cells[f] === undefined || row.cells[f] === exported[f])
      ) {
        if (!seen.has(id)) seen.set(id, null);
        continue;
      }
      const ref = parseRef(id);
      const group = ref && !ref.decision ? ctx.groups.get(ref.code) : undefined;
      const item = group && ref ? await store.commitments.byNumber(group.id, ref.number) : null;
      if (!item) {
        problem("id", "import:problem.unknown_id", { id });
        continue;
      }
      const change = await diffRow(ctx, row, item, plan.problems);
      const itemKey = itemRef(item);
      const before = seen.get(itemKey);
      if (before === undefined || (before === null && change)) seen.set(itemKey, change);
      else if (
        before &&
        change &&
        JSON.stringify(before.changes) !== JSON.stringify(change.changes)
      )
        problem(null, "import:problem.conflict", { id: ref });
      continue;
    }
    const code = (
      row.cells.group || (ctx.groups.has(row.sheet.toUpperCase()) ? row.sheet : "")
    ).toUpperCase();
    const group = ctx.groups.get(code);
    const title = row.cells.initiative ?? "";
    if (!group) {
      problem("group", code ? "import:problem.unknown_group" : "import:problem.no_group", { code });
      continue;
    }
    if (title === "") {
      problem("initiative", "import:problem.no_initiative");
      continue;
    }
    // A row added twice (in two sheets, or a file imported twice) is one commitment.
    const key = `${group.code}\n${title}`;
    if (newTitles.has(key) || (await store.commitments.byTitle(group.id, title))) continue;
    newTitles.add(key);
    const before = plan.problems.length;
    const statusText = row.cells.status ?? "";
    const status = statusText === "" ? "introduction" : statusOf(i18n, statusText);
    if (status === null) problem("status", "import:problem.status", { value: statusText });
    const timeline = readTimeline(ctx, row, plan.problems);
    if (plan.problems.length > before || status === null || timeline === undefined) continue;
    plan.added.push({
      group,
      sheet: row.sheet,
      line: row.line,
      title,
      description: row.cells.milestones || null,
      timeline,
      status,
      owners: await ownersOf(ctx, group, row.cells.participants ?? "", []),
      comments: row.cells.comments || null,
    });
  }
  for (const change of seen.values()) if (change) plan.changed.push(change);
  plan.unchanged = [...seen.values()].filter((c) => c === null).length;
  return plan;
}

/** Applies a plan in one transaction; each change and addition leaves an audit row naming the file. */
export async function applyImport(
  store: Store,
  actor: Actor,
  plan: ImportPlan,
  at: string,
  requestKey?: string,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    // A retried or double-clicked request applies once: its key is claimed with the changes.
    if (requestKey && !(await tx.requests.claim(requestKey, at))) return false;
    for (const { item, edit, status, changes } of plan.changed) {
      await tx.commitments.edit(item.id, edit, at);
      if (status) {
        await tx.commitments.setStatus(item.id, status, closedAtFor(status, at), at);
        await recordUpdate(
          tx,
          actor,
          item,
          { kind: "status", fromStatus: item.status, toStatus: status, text: null },
          at,
        );
      }
      await tx.audit.record({
        at,
        actor: who(actor),
        entity: "commitment",
        ref: itemRef(item),
        action: "import",
        before: Object.fromEntries(changes.map((c) => [c.field, c.before])),
        after: { file: plan.file, ...Object.fromEntries(changes.map((c) => [c.field, c.after])) },
      });
    }
    for (const a of plan.added) {
      const item = await tx.commitments.create({
        groupId: a.group.id,
        title: a.title,
        description: a.description,
        status: a.status,
        timeline: a.timeline,
        dueAt: dueInstant(a.timeline, a.group.timeZone),
        owners: a.owners,
        comments: a.comments,
        closedAt: closedAtFor(a.status, at),
        createdBy: actor.person.id,
        at,
      });
      await recordUpdate(
        tx,
        actor,
        item,
        { kind: "created", fromStatus: null, toStatus: item.status, text: null },
        at,
      );
      await tx.audit.record({
        at,
        actor: who(actor),
        entity: "commitment",
        ref: itemRef(item),
        action: "import",
        after: { file: plan.file, sheet: a.sheet, row: a.line, ...item },
      });
    }
    return true;
  });
}
