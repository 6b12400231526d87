import type { Language, MessageSource, Platform } from "./tracker/types.js";

/** A person mentioned in the command text, as the platform resolved it. */
export interface Mention {
  /** How it appears in `Invocation.text`, e.g. "@ana". */
  token: string;
  userId: string;
  displayName: string;
}

/** Everything an adapter knows about one command, in platform-neutral form. */
export interface Invocation {
  platform: Platform;
  /** The command line without the "/cmp" prefix or the bot's @mention. */
  text: string;
  actor: {
    userId: string;
    displayName: string;
    /** The client's locale ("es-MX"), when the platform sends one. */
    locale?: string | null;
    timeZone?: string | null;
  };
  channelId: string | null;
  mentions?: Mention[];
  /** Stable per request: retries and replays carry the same key and act once. */
  requestKey?: string;
  /** The message a decision is logged from. */
  source?: MessageSource;
  /** How people address the bot here ("/cmp", "@CMP"), for examples in replies; "/cmp" if unset. */
  commandPrefix?: string;
  /** Every reply is seen by the whole conversation (a Teams channel): nothing private in it. */
  repliesShared?: boolean;
  /** An explicit language for the reply (a form submitted in the language it was shown in). */
  language?: Language;
}
