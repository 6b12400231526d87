import type { Command, CommandName } from "./command.js";
import { confirmCommand, decideCommand, decisionsCommand } from "./decisions.js";
import { exportCommand } from "./export.js";
import { helpCommand } from "./help.js";
import { importCommand } from "./import.js";
import { meetingCommand, meetingsCommand } from "./meetings.js";
import { listCommand, mineCommand, showCommand, statusCommand } from "./read.js";
import { reportCommand } from "./report.js";
import { scheduleCommand, snoozeCommand, upcomingCommand } from "./schedule.js";
import { bindCommand, langCommand } from "./settings.js";
import { addCommand, doneCommand, milestoneCommand, updateCommand } from "./write.js";

/** Every verb, listed once; its spellings in each language are in locales/<lang>/verbs.json. */
export const COMMANDS: Record<CommandName, Command> = {
  help: helpCommand,
  status: statusCommand,
  list: listCommand,
  show: showCommand,
  mine: mineCommand,
  add: addCommand,
  update: updateCommand,
  done: doneCommand,
  milestone: milestoneCommand,
  decide: decideCommand,
  decisions: decisionsCommand,
  confirm: confirmCommand,
  meeting: meetingCommand,
  meetings: meetingsCommand,
  lang: langCommand,
  export: exportCommand,
  report: reportCommand,
  import: importCommand,
  bind: bindCommand,
  upcoming: upcomingCommand,
  schedule: scheduleCommand,
  snooze: snoozeCommand,
};

/** Verbs that change state: a retried request carrying the same key must not repeat them. */
export const WRITE_COMMANDS: ReadonlySet<CommandName> = new Set([
  "add",
  "update",
  "done",
  "milestone",
  "decide",
  "confirm",
  "meeting",
  "lang",
  "bind",
  "schedule",
  "snooze",
]);
