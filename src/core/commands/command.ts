import type { Actor } from "../actor.js";
import type { I18n, Localizer } from "../i18n.js";
import type { Invocation } from "../invocation.js";
import type { Clock, Documents, Store } from "../ports.js";
import type { Block, MessageDoc, Reply, Visibility } from "../render/message.js";
import type { Language, WorkingGroup } from "../tracker/types.js";

export interface CoreDeps {
  store: Store;
  clock: Clock;
  i18n: I18n;
  /** File formats: XLSX, PDF, reading spreadsheets. */
  documents: Documents;
}

export interface CommandContext extends CoreDeps {
  invocation: Invocation;
  actor: Actor;
  lang: Language;
  l: Localizer;
  now: Date;
  /** `now` as ISO-8601 UTC, the form every timestamp is stored in. */
  at: string;
  /** The working group bound to the channel the command came from, if any. */
  channelGroup: WorkingGroup | null;
}

export type CommandName =
  | "help"
  | "status"
  | "list"
  | "show"
  | "mine"
  | "add"
  | "update"
  | "done"
  | "milestone"
  | "decide"
  | "decisions"
  | "confirm"
  | "meeting"
  | "meetings"
  | "lang"
  | "export"
  | "report"
  | "import"
  | "bind"
  | "upcoming"
  | "schedule"
  | "snooze";

export interface Command {
  name: CommandName;
  run(ctx: CommandContext, args: string): Promise<Reply>;
}

export function message(visibility: Visibility, summary: string, blocks: Block[]): Reply {
  const doc: MessageDoc = { summary, blocks };
  return { kind: "message", visibility, doc };
}
