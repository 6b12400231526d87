import type { FormId } from "../render/message.js";
import { calendarCommand } from "./calendar.js";
import { bindCommand, langCommand } from "./channels.js";
import type { Command, FormSpec } from "./command.js";
import { confirmCommand, decideCommand, decisionsCommand } from "./decisions.js";
import { exportCommand } from "./export.js";
import { helpCommand } from "./help.js";
import { homeCommand } from "./home.js";
import { importCommand } from "./import.js";
import {
  addCommand,
  doneCommand,
  milestoneCommand,
  snoozeCommand,
  updateCommand,
} from "./items.js";
import { listCommand, mineCommand } from "./lists.js";
import { meetingCommand, meetingsCommand } from "./meetings.js";
import type { CommandName } from "./names.js";
import { reportCommand } from "./report.js";
import { scheduleCommand, upcomingCommand } from "./scheduling.js";
import { showCommand, statusCommand } from "./status.js";

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
  snooze: snoozeCommand,
  decide: decideCommand,
  decisions: decisionsCommand,
  confirm: confirmCommand,
  meeting: meetingCommand,
  meetings: meetingsCommand,
  calendar: calendarCommand,
  home: homeCommand,
  upcoming: upcomingCommand,
  schedule: scheduleCommand,
  lang: langCommand,
  bind: bindCommand,
  export: exportCommand,
  report: reportCommand,
  import: importCommand,
};

/** Every form, found by the id an adapter carries from opening it to its submission. */
export const FORMS = Object.fromEntries(
  Object.values(COMMANDS).flatMap((c) => c.forms.map((f) => [f.id, f])),
) as Record<FormId, FormSpec>;
