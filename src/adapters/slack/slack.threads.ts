import type { webApi } from "@slack/bolt";
import type { Router } from "../../core/router.js";
import type { Profiles } from "./slack.profiles.js";
import { toSlackMessages } from "./to-block-kit.js";
import { mentionedUsers, readSlackText, userInvocation } from "./to-invocation.js";

// Replies in the threads the bot started for a commitment (issue 13): Slack sends every message
// of the channels the bot is in (`message.channels`, `message.groups`); only a person's reply in
// a thread the core knows as a commitment's gets an answer — an offer, for them alone, to add it
// as a note. Nothing is added until they click.

/** What a `message` event carries that matters here (Slack's `GenericMessageEvent`). */
export interface ThreadMessage {
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
}

/** The handler of `message` events; `retried` when Slack sends one again (x-slack-retry-num). */
export function answerThreadReplies(deps: {
  client: webApi.WebClient;
  router: Router;
  profiles: Profiles;
  botUserId: string;
  guarded: (what: string, work: () => Promise<void>) => Promise<void>;
}): (message: ThreadMessage, retried: boolean) => Promise<void> {
  const { client, router, profiles, botUserId } = deps;
  return async (message, retried) => {
    // Edits, joins and bots' posts (ours included) have a subtype or a bot id; a retry of an
    // event already handled would offer twice; a top-level message is no reply.
    if (message.subtype || message.bot_id || !message.user || message.user === botUserId) return;
    if (retried || !message.thread_ts || message.thread_ts === message.ts) return;
    // "@CMP …" in the thread is a command, which app_mention answers.
    if ((message.text ?? "").includes(`<@${botUserId}>`)) return;
    const { user, channel, thread_ts: threadTs } = message;
    await deps.guarded("thread reply", async () => {
      // Every thread reply of every channel arrives here: nothing is asked of Slack for it
      // (the tracker knows the people it offers notes to), but the names of people mentioned.
      const mentioned = mentionedUsers(message.text ?? "");
      const names = mentioned.length > 0 ? await profiles.names(mentioned) : new Map();
      const invocation = {
        // No name to offer: the tracker keeps the one it has (an empty name changes nothing).
        ...userInvocation(user, "", channel, profiles.cached(user)),
        text: readSlackText(message.text ?? "", names).text,
      };
      const reply = await router.threadReply(invocation, threadTs);
      if (reply?.kind !== "message") return;
      for (const part of toSlackMessages(reply.doc))
        await client.chat.postEphemeral({
          channel,
          user,
          thread_ts: threadTs,
          text: part.text,
          blocks: part.blocks,
        });
    });
  };
}
