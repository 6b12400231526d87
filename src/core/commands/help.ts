import type { Block } from "../render/message.js";
import { type Command, type CommandName, message } from "./command.js";

/** The order help lists verbs in: reading first, then writing, then settings. */
export const HELP_ORDER: CommandName[] = [
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

export const helpCommand: Command = {
  name: "help",
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
};
