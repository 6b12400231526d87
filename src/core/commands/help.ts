import type { Block } from "../render/message.js";
import { command, message } from "./command.js";
import type { CommandName } from "./names.js";

/** The order help lists verbs in: reading first, then writing, then settings. */
export const HELP_ORDER: CommandName[] = [
  "home",
  "status",
  "list",
  "show",
  "mine",
  "add",
  "update",
  "done",
  "milestone",
  "decide",
  "decisions",
  "confirm",
  "meeting",
  "meetings",
  "calendar",
  "upcoming",
  "snooze",
  "export",
  "report",
  "import",
  "lang",
  "bind",
  "schedule",
  "help",
];

export const helpCommand = command({
  name: "help",
  permission: "anyone",
  writes: false,
  example: "examples:help",
  parse: () => null,
  async run(ctx) {
    const { l } = ctx;
    const blocks: Block[] = [
      { type: "header", text: l.t("help:title") },
      { type: "text", text: l.t("help:intro") },
      {
        type: "list",
        items: HELP_ORDER.map((verb) => ({
          text: l.t(`help:usage.${verb}`),
          detail: l.t(`help:what.${verb}`),
        })),
      },
      { type: "context", text: l.t("help:languages") },
    ];
    return message("ephemeral", l.t("help:title"), blocks);
  },
});
