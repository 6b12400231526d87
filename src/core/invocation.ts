import type { Language, MessageSource, Platform } from "./tracker/types.js";

/** A person mentioned in the command text, as the platform resolved it. */
export interface Mention {
  /** How it appears in `Invocation.text`, e.g. "@ana". */
  token: string;
  userId: string;
  displayName: string;
}

/** A file attached to the message a command came with (an edited tracker to import). */
export interface AttachedFile {
  name: string;
  /** Bytes, when the platform says; checked again after the download. */
  size: number | null;
  /** Fetches the file from the platform, at most `maxBytes`; throws beyond that. */
  download(maxBytes: number): Promise<Uint8Array>;
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
  /** Files attached to the message (Teams personal chats, Slack messages that mention the bot). */
  files?: AttachedFile[];
  /** Asked by the adapter, not the person (a page refreshed because it changed): no "look". */
  passive?: boolean;
}

/**
 * How a mentioned person appears in `Invocation.text`: "@Ana María" cannot survive the command
 * tokenizer, "@Ana_María" can. With `taken`, two people of one name get distinct tokens.
 */
export function mentionToken(name: string, taken: Set<string> = new Set()): string {
  const base = `@${
    name
      .trim()
      .replace(/^@/, "")
      .replace(/[\s,;@"“”«»]+/g, "_") || "user"
  }`;
  let token = base;
  for (let n = 2; taken.has(token); n++) token = `${base}_${n}`;
  taken.add(token);
  return token;
}
