import { BotError } from "../errors.js";
import type { Localizer } from "../i18n.js";
import { zoneLabel } from "../render/items.js";
import {
  LANGUAGES,
  type Language,
  type Person,
  REMINDERS_VIA,
  type RemindersVia,
} from "../tracker/types.js";
import { type CommandContext, type FormSpec, say } from "./command.js";

// My settings, from my page: the language I read the bot in, my time zone (when reminders land,
// how times read), and how reminders of my own items reach me — direct messages, the group's
// channel, or only the weekly digest. Only the person themselves changes them.

/** The partnership's zones people choose from (their names are in common:zones). */
export const ZONES = [
  "America/Toronto",
  "America/Montreal",
  "America/Halifax",
  "America/Winnipeg",
  "America/Edmonton",
  "America/Vancouver",
  "America/Mexico_City",
  "America/Cancun",
  "America/Monterrey",
  "America/Tijuana",
] as const;

/** "Reminders: by direct message · Language: English · Time zone: Ottawa". */
export function settingsLine(l: Localizer, person: Person): string {
  return l.t("home:settings_line", {
    via: l.t(`home:via.${person.remindersVia ?? "direct"}`),
    language: l.t(`schedule:language.${person.language ?? l.lang}`),
    zone: person.timeZone ? zoneLabel(l, person.timeZone) : l.t("home:zone_unset"),
  });
}

function pick<T extends string>(allowed: readonly T[], value: string | undefined, field: string) {
  if (value && (allowed as readonly string[]).includes(value)) return value as T;
  throw new BotError("home:prefs.invalid", {}, undefined, field);
}

export const prefsForm: FormSpec = {
  id: "prefs",
  async build(ctx) {
    const { l } = ctx;
    const person = ctx.actor.person;
    return {
      id: "prefs",
      title: l.t("home:prefs.title"),
      submitLabel: l.t("forms:submit"),
      context: {},
      fields: [
        {
          name: "reminders",
          label: l.t("home:prefs.reminders"),
          kind: "select",
          required: true,
          options: REMINDERS_VIA.map((via) => ({ value: via, label: l.t(`home:via.${via}`) })),
          initial: person.remindersVia ?? "direct",
        },
        {
          name: "language",
          label: l.t("home:prefs.language"),
          kind: "select",
          required: true,
          options: LANGUAGES.map((lang) => ({
            value: lang,
            label: l.t(`schedule:language.${lang}`),
          })),
          initial: person.language ?? ctx.lang,
        },
        {
          name: "zone",
          label: l.t("home:prefs.zone"),
          kind: "select",
          required: true,
          options: ZONES.map((zone) => ({ value: zone, label: zoneLabel(l, zone) })),
          initial: person.timeZone ?? undefined,
        },
      ],
    };
  },
  async submit(ctx: CommandContext, values) {
    const remindersVia = pick<RemindersVia>(REMINDERS_VIA, values.reminders, "reminders");
    const language = pick<Language>(LANGUAGES, values.language, "language");
    const timeZone = pick<string>(ZONES, values.zone, "zone");
    await ctx.tracker.setPreferences({ remindersVia, language, timeZone });
    // Said in the language just chosen.
    const l = ctx.i18n.localizer(language, ctx.invocation.commandPrefix);
    const person = { ...ctx.actor.person, remindersVia, language, timeZone };
    return say("ephemeral", l.t("home:prefs.saved", { settings: settingsLine(l, person) }));
  },
};
