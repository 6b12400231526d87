import { BotError } from "../errors.js";
import type { Localizer } from "../i18n.js";
import { canManage, requireManage } from "../policy.js";
import { zoneLabel } from "../render/items.js";
import type { Block, ListItem } from "../render/message.js";
import { DAY_MS } from "../schedule/calendar.js";
import {
  countriesLabel,
  describeSchedule,
  remindersLabel,
  weekdayName,
} from "../schedule/describe.js";
import { type Occasion, occasionsIn, placementsOf } from "../schedule/planner.js";
import { dueSentence } from "../schedule/posts.js";
import { MAX_AGENDA_LEAD_HOURS, readClockTime, readReminderDays } from "../schedule/settings.js";
import { type GroupSchedule, REMINDER_TARGETS, type Target } from "../schedule/types.js";
import { itemRef } from "../tracker/rules.js";
import { COUNTRIES, type Country, type WorkingGroup } from "../tracker/types.js";
import { isWord, requireGroup, startsWithWord, tokenize, usageError } from "./args.js";
import { type CommandContext, command, message, say } from "./command.js";

// `upcoming` and `schedule`: what the bot will post, when, and how to change it. (`snooze`,
// which pauses one item's reminders, is with the items.)

const HORIZON_DAYS = 35;
const SHOWN = 20;

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const SETTINGS = [
  "digest",
  "reminders",
  "agenda",
  "holidays",
  "ratify",
  "threads",
  "pause",
  "resume",
] as const;

/** Longest wait, in working days, before a co-chair is reminded of a decision to confirm. */
const MAX_RATIFY_DAYS = 10;

export async function scheduleOf(ctx: CommandContext, group: WorkingGroup): Promise<GroupSchedule> {
  return (await ctx.store.schedule.settings([group.id])).get(group.id) as GroupSchedule;
}

/** "Scheduled posts: digest on Monday at 09:00 …", the line `status` shows. */
export async function scheduleStatusLine(ctx: CommandContext, group: WorkingGroup) {
  return ctx.l.t("schedule:settings.status_line", {
    schedule: describeSchedule(ctx.l, group, await scheduleOf(ctx, group)),
  });
}

function targetLabel(l: Localizer, target: Target, name?: string): string {
  if (target.kind === "direct")
    return l.t("schedule:upcoming.direct", { name: name ?? target.userId });
  return l.t("schedule:upcoming.channel", {
    platform: l.t(`schedule:platform.${target.platform}`),
    channel: target.channelId,
  });
}

async function upcomingLine(
  ctx: CommandContext,
  group: WorkingGroup,
  occasion: Occasion,
): Promise<ListItem | null> {
  const { l } = ctx;
  const zone = occasion.kind === "reminder" ? occasion.recipient.timeZone : group.timeZone;
  const when = `${l.date(occasion.at, zone)} · ${l.time(occasion.at, zone)} ${zoneLabel(l, zone)}`;
  let what: string;
  if (occasion.kind === "reminder") {
    const item = await ctx.store.commitments.byNumber(occasion.groupId, occasion.number);
    if (!item) return null;
    what = l.t("schedule:upcoming.reminder", {
      ref: itemRef(item),
      title: item.title,
      due: dueSentence(l, item, group, occasion.day),
    });
  } else if (occasion.kind === "digest") {
    what = l.t("schedule:upcoming.digest");
  } else if (occasion.kind === "nudge" || occasion.kind === "ratified") {
    what = l.t(`schedule:upcoming.${occasion.kind}`, { ref: `${group.code}-D${occasion.number}` });
  } else {
    const title = occasion.meeting.title ?? l.t("common:meeting_default_title");
    what = l.t(`schedule:upcoming.${occasion.kind}`, { title });
  }
  const placements = await placementsOf(ctx.store, occasion);
  let detail: string;
  if (occasion.skip === "snoozed") detail = l.t("schedule:upcoming.snoozed");
  else if (placements.length === 0) detail = l.t("schedule:upcoming.no_target");
  else {
    const languages = [...new Set(placements.flatMap((p) => p.languages))];
    detail = l.t("schedule:upcoming.where", {
      places: l.list(
        placements.map((p) =>
          targetLabel(
            l,
            p.target,
            occasion.kind === "reminder" || occasion.kind === "nudge"
              ? occasion.person?.displayName
              : undefined,
          ),
        ),
      ),
      languages: l.list(languages.map((lang) => l.t(`schedule:language.${lang}`))),
    });
  }
  return { text: `${when} · ${what}`, detail };
}

/** Posts the platforms refused lately, with their reason: a channel gone, a bot removed. */
async function recentFailures(ctx: CommandContext, group: WorkingGroup): Promise<ListItem[]> {
  const { l } = ctx;
  const ledger = await ctx.store.schedule.deliveries(group.id, {
    from: new Date(ctx.now.getTime() - 7 * DAY_MS).toISOString(),
    to: ctx.at,
  });
  return ledger
    .filter((d) => d.status === "failed" && d.target)
    .map((d) => ({
      text: l.t("schedule:upcoming.failed", {
        when: `${l.date(d.dueAt, group.timeZone)} · ${l.time(d.dueAt, group.timeZone)}`,
        what: l.t(`schedule:kind.${d.kind}`),
        place: targetLabel(l, d.target as Target),
        reason: d.lastError ?? "",
      }),
    }));
}

export const upcomingCommand = command({
  name: "upcoming",
  permission: "see",
  writes: false,
  example: "examples:upcoming",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group: g, rest } = await requireGroup(ctx, tokens, { exampleKey: "examples:upcoming" });
    if (rest.length > 0) throw usageError(ctx, "upcoming");
    const { l } = ctx;
    const schedule = await scheduleOf(ctx, g);
    const header = l.t("schedule:upcoming.header", { code: g.code });
    const blocks: Block[] = [
      { type: "header", text: header },
      { type: "context", text: describeSchedule(l, g, schedule) },
    ];
    if (schedule.paused) {
      blocks.push({ type: "text", text: l.t("schedule:upcoming.paused", { code: g.code }) });
      return message("ephemeral", header, blocks);
    }
    const occasions = await occasionsIn(
      ctx.store,
      { from: ctx.at, to: new Date(ctx.now.getTime() + HORIZON_DAYS * DAY_MS).toISOString() },
      { groupIds: [g.id] },
    );
    const items: ListItem[] = [];
    for (const occasion of occasions.slice(0, SHOWN)) {
      const line = await upcomingLine(ctx, g, occasion);
      if (line) items.push(line);
    }
    if (occasions.length > SHOWN)
      items.push({ text: l.t("common:and_more", { count: occasions.length - SHOWN }) });
    blocks.push({
      type: "list",
      items,
      empty: l.t("schedule:upcoming.empty", { days: HORIZON_DAYS }),
    });
    const failed = await recentFailures(ctx, g);
    if (failed.length > 0)
      blocks.push({ type: "list", title: l.t("schedule:upcoming.failed_title"), items: failed });
    blocks.push({
      type: "context",
      text: l.t("schedule:upcoming.window", { days: HORIZON_DAYS }),
    });
    return message("ephemeral", header, blocks);
  },
});

function fail(key: string, given: string): never {
  throw new BotError(`schedule:error.${key}`, { given }, "examples:schedule");
}

function readWeekday(ctx: CommandContext, token: string | undefined): number {
  const index = WEEKDAYS.findIndex((day) => isWord(ctx, `words:weekday.${day}`, token));
  if (index < 0) fail("weekday", token ?? "");
  return index + 1;
}

function readCountries(text: string): Country[] {
  const parts = text
    .toUpperCase()
    .split(/[,;\s]+/)
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !(COUNTRIES as readonly string[]).includes(p)))
    fail("countries", text);
  return COUNTRIES.filter((c) => parts.includes(c));
}

/** One `schedule` setting applied to the current settings, or a refusal saying what was wrong. */
function applySetting(
  ctx: CommandContext,
  current: GroupSchedule,
  setting: (typeof SETTINGS)[number],
  args: string[],
): GroupSchedule {
  const usage = () => usageError(ctx, "schedule");
  switch (setting) {
    case "digest": {
      if (args.length !== 2) throw usage();
      const digestWeekday = readWeekday(ctx, args[0]);
      const digestTime = readClockTime(args[1] ?? "") ?? fail("time", args[1] ?? "");
      return { ...current, digestWeekday, digestTime };
    }
    case "reminders": {
      if (args.length < 1) throw usage();
      const reminderDays = readReminderDays(args[0] ?? "") ?? fail("days", args[0] ?? "");
      let reminderTo = current.reminderTo;
      // The audience may be several words: "les deux", "los dos".
      const audience = args.slice(1).join(" ");
      if (audience !== "") {
        const to = REMINDER_TARGETS.find((t) => isWord(ctx, `words:schedule.${t}`, audience));
        if (!to) fail("target", audience);
        reminderTo = to;
      }
      return { ...current, reminderDays, reminderTo };
    }
    case "agenda": {
      const hours = args.length === 1 && /^\d{1,3}$/.test(args[0] ?? "") ? Number(args[0]) : 0;
      if (hours < 1 || hours > MAX_AGENDA_LEAD_HOURS) fail("hours", args.join(" "));
      return { ...current, agendaLeadHours: hours };
    }
    case "holidays":
      return { ...current, holidayCountries: readCountries(args.join(",")) };
    case "ratify": {
      if (args.length !== 1) throw usage();
      if (isWord(ctx, "words:schedule.off", args[0])) return { ...current, ratifyDays: 0 };
      const days = /^\d{1,2}$/.test(args[0] ?? "") ? Number(args[0]) : 0;
      if (days < 1 || days > MAX_RATIFY_DAYS) fail("ratify_days", args[0] ?? "");
      return { ...current, ratifyDays: days };
    }
    case "threads": {
      if (args.length !== 1) throw usage();
      if (isWord(ctx, "words:schedule.off", args[0])) return { ...current, threads: false };
      if (isWord(ctx, "words:schedule.on", args[0])) return { ...current, threads: true };
      return fail("threads", args[0] ?? "");
    }
    case "pause":
    case "resume":
      if (args.length > 0) throw usage();
      return { ...current, paused: setting === "pause" };
  }
}

function confirmation(
  l: Localizer,
  group: WorkingGroup,
  s: GroupSchedule,
  setting: (typeof SETTINGS)[number],
): string {
  const code = group.code;
  switch (setting) {
    case "digest":
      return l.t("schedule:set.digest", {
        code,
        weekday: weekdayName(l, s.digestWeekday),
        time: s.digestTime,
        zone: zoneLabel(l, group.timeZone),
      });
    case "reminders":
      return l.t("schedule:set.reminders", {
        code,
        reminders: remindersLabel(l, s),
        to: l.t(`schedule:settings.to.${s.reminderTo}`),
      });
    case "agenda":
      return l.t("schedule:set.agenda", { code, hours: s.agendaLeadHours });
    case "holidays":
      return l.t("schedule:set.holidays", { code, countries: countriesLabel(l, s) });
    case "ratify":
      return s.ratifyDays === 0
        ? l.t("schedule:set.ratify_off", { code })
        : l.t("schedule:set.ratify", { code, count: s.ratifyDays });
    case "threads":
      return l.t(`schedule:set.threads_${s.threads ? "on" : "off"}`, { code });
    case "pause":
      return l.t("schedule:set.paused", { code });
    case "resume":
      return l.t("schedule:set.resumed", { code });
  }
}

export const scheduleCommand = command({
  name: "schedule",
  permission: "manage",
  writes: true,
  example: "examples:schedule",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group: g, rest } = await requireGroup(ctx, tokens, { exampleKey: "examples:schedule" });
    const { l } = ctx;
    const current = await scheduleOf(ctx, g);
    const [word] = rest;
    if (word === undefined) {
      const header = l.t("schedule:show.header", { code: g.code });
      const blocks: Block[] = [
        { type: "header", text: header },
        { type: "text", text: describeSchedule(l, g, current) },
      ];
      if (canManage(ctx.actor, g))
        blocks.push({ type: "context", text: l.t("schedule:show.hint", { code: g.code }) });
      return message("ephemeral", header, blocks);
    }
    // Settings as shown or typed, several words included: "ordre du jour 48", "orden del día 24".
    const found = startsWithWord(
      ctx,
      Object.fromEntries(SETTINGS.map((s) => [s, `words:schedule.${s}`])) as Record<
        (typeof SETTINGS)[number],
        string
      >,
      rest,
    );
    if (!found) fail("unknown_setting", word);
    const setting = found.word;
    requireManage(ctx.actor, g, "examples:schedule");
    const next = applySetting(ctx, current, setting, rest.slice(found.used));
    await ctx.tracker.saveSchedule(g, { setting, before: current, after: next });
    return say("in_channel", confirmation(l, g, next, setting));
  },
});
