import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { LOG_DECISION_COMMAND } from "../../src/adapters/teams/teams.adapter.js";
import type { CommandName } from "../../src/core/commands/names.js";
import { createI18n, type Localizer } from "../../src/core/i18n.js";
import { ACCENT } from "./make-icons.js";

// Writes manifest.json, es.json and fr.json from locales/: the words of the Teams app package
// come from the same files as every other word the bot says. Run after changing them:
//   npx tsx manifest/teams/make-manifest.ts && npx biome format --write manifest/teams
// A test fails when the committed files differ from what this produces.

export const MANIFEST_VERSION = "1.30";

/**
 * The Teams app's own id, fixed for this app. The bot id is a placeholder that
 * `npm run teams:package` replaces with MICROSOFT_APP_ID.
 */
export const TEAMS_APP_ID = "6f1c2b1e-5d0a-4c84-9b7e-2f3a1c9d8e47";
export const BOT_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

/**
 * Teams shows at most 12 commands per scope; together the three lists name every verb, each
 * scope with those that make sense there (binding a channel is done in a channel).
 */
export const COMMAND_LISTS: { scope: "personal" | "team" | "groupChat"; verbs: CommandName[] }[] = [
  {
    scope: "personal",
    verbs: [
      "home",
      "help",
      "status",
      "mine",
      "done",
      "snooze",
      "upcoming",
      "calendar",
      "lang",
      "export",
      "report",
      "import",
    ],
  },
  {
    scope: "team",
    verbs: [
      "status",
      "list",
      "show",
      "add",
      "update",
      "done",
      "milestone",
      "decide",
      "confirm",
      "meeting",
      "schedule",
      "bind",
    ],
  },
  {
    scope: "groupChat",
    verbs: [
      "help",
      "status",
      "list",
      "show",
      "add",
      "update",
      "done",
      "decide",
      "decisions",
      "confirm",
      "meeting",
      "meetings",
    ],
  },
];

const bare = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "");

/**
 * How a verb is shown in the command menu: its first spelling in the language, with its
 * accents when locales/ also lists it accented ("mios, míos" shows "míos").
 */
export function verbTitle(l: Localizer, verb: CommandName): string {
  const spellings = l
    .t(`verbs:${verb}`)
    .split(",")
    .map((w) => w.trim());
  const first = spellings[0] ?? verb;
  return spellings.find((w) => w !== bare(w) && bare(w) === bare(first)) ?? first;
}

function strings(l: Localizer) {
  return {
    "name.short": l.t("teams:manifest.name_short"),
    "name.full": l.t("teams:manifest.name_full"),
    "description.short": l.t("teams:manifest.description_short"),
    "description.full": l.t("teams:manifest.description_full"),
  };
}

function localization(l: Localizer): Record<string, string> {
  const entries: Record<string, string> = {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`,
    ...strings(l),
  };
  COMMAND_LISTS.forEach((list, i) => {
    list.verbs.forEach((verb, j) => {
      entries[`bots[0].commandLists[${i}].commands[${j}].title`] = verbTitle(l, verb);
      entries[`bots[0].commandLists[${i}].commands[${j}].description`] = l.t(`help:what.${verb}`);
    });
  });
  entries["composeExtensions[0].commands[0].title"] = l.t("teams:manifest.log_decision_title");
  entries["composeExtensions[0].commands[0].description"] = l.t(
    "teams:manifest.log_decision_description",
  );
  return entries;
}

export async function teamsManifest() {
  const i18n = await createI18n();
  const en = i18n.localizer("en");
  const s = strings(en);
  const manifest = {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: "0.1.0",
    id: TEAMS_APP_ID,
    localizationInfo: {
      defaultLanguageTag: "en-us",
      additionalLanguages: [
        { languageTag: "es", file: "es.json" },
        { languageTag: "fr", file: "fr.json" },
      ],
    },
    developer: {
      name: "CMP Secretariat",
      // Placeholders: replace with the secretariat's pages before publishing the app.
      websiteUrl: "https://cmp-bot.example.org",
      privacyUrl: "https://cmp-bot.example.org/privacy",
      termsOfUseUrl: "https://cmp-bot.example.org/terms",
    },
    name: { short: s["name.short"], full: s["name.full"] },
    description: { short: s["description.short"], full: s["description.full"] },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: ACCENT,
    bots: [
      {
        botId: BOT_ID_PLACEHOLDER,
        scopes: ["personal", "team", "groupChat"],
        // Exports arrive as files in a personal chat (file consent card → OneDrive).
        supportsFiles: true,
        isNotificationOnly: false,
        commandLists: COMMAND_LISTS.map((list) => ({
          scopes: [list.scope],
          commands: list.verbs.map((verb) => ({
            title: verbTitle(en, verb),
            description: en.t(`help:what.${verb}`),
          })),
        })),
      },
    ],
    composeExtensions: [
      {
        botId: BOT_ID_PLACEHOLDER,
        commands: [
          {
            id: LOG_DECISION_COMMAND,
            type: "action",
            title: en.t("teams:manifest.log_decision_title"),
            description: en.t("teams:manifest.log_decision_description"),
            context: ["message"],
            fetchTask: true,
          },
        ],
      },
    ],
    // Teams Connect shared channels (another organisation's people, another tenant) and private
    // channels: the app is offered there too, not only in standard channels.
    supportedChannelTypes: ["sharedChannels", "privateChannels"],
    permissions: ["identity", "messageTeamMembers"],
    // A bot needs no domains of its own here: Teams reaches it through the Bot Framework.
    validDomains: [],
  };
  return {
    manifest,
    localizations: {
      es: localization(i18n.localizer("es")),
      fr: localization(i18n.localizer("fr")),
    },
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { manifest, localizations } = await teamsManifest();
  writeFileSync(new URL("manifest.json", import.meta.url), json(manifest));
  for (const [lang, strings] of Object.entries(localizations))
    writeFileSync(new URL(`${lang}.json`, import.meta.url), json(strings));
  process.stdout.write("Wrote manifest/teams/manifest.json, es.json and fr.json\n");
}
