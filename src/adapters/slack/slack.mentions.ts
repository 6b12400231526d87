import type { I18n } from "../../core/i18n.js";
import type { Router } from "../../core/router.js";
import type { createReplies, Target } from "./replies.js";
import { attachedFile, type SlackFile } from "./slack.files.js";
import type { Profiles } from "./slack.profiles.js";
import { mentionedUsers, mentionInvocation } from "./to-invocation.js";

// "@CMP status TIIWG" in a channel or a thread: the command is answered in that thread for
// everyone, or for the person alone when the reply is theirs only. A form cannot open from a
// mention (Slack gives no trigger for one): the person is shown the slash command instead.

/** What an `app_mention` event carries that matters here (Slack's `AppMentionEvent`). */
export interface Mention {
  user?: string;
  text?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  files?: SlackFile[];
}

export function answerMentions(deps: {
  router: Router;
  i18n: I18n;
  profiles: Profiles;
  botUserId: string;
  replies: Pick<ReturnType<typeof createReplies>, "answer" | "postInChannel" | "messagesOf">;
  /** How attached files are fetched (an edited tracker to import). */
  files: Parameters<typeof attachedFile>[1];
  guarded: (what: string, work: () => Promise<void>) => Promise<void>;
}): (event: Mention, eventId: string) => Promise<void> {
  const { router, i18n, profiles, replies } = deps;
  return (event, eventId) =>
    deps.guarded("mention", async () => {
      const user = event.user;
      if (!user) return;
      const [profile, names] = await Promise.all([
        profiles.get(user),
        profiles.names(mentionedUsers(event.text ?? "")),
      ]);
      const invocation = mentionInvocation(
        { text: event.text, user, channel: event.channel },
        eventId,
        deps.botUserId,
        profile,
        names,
      );
      if (!invocation) return;
      invocation.files = (Array.isArray(event.files) ? event.files : []).map((file) =>
        attachedFile(file, deps.files),
      );
      const reply = await router.handle(invocation);
      const target: Target = { userId: user, channelId: event.channel };
      if (reply.kind === "form") {
        const l = i18n.localizer(reply.lang);
        const text = l.t("slack:form_needs_slash", { example: l.t(`examples:${reply.form.id}`) });
        return replies.answer(
          {
            kind: "message",
            visibility: "ephemeral",
            doc: { summary: text, blocks: [{ type: "text", text }] },
            lang: reply.lang,
          },
          target,
        );
      }
      if (reply.visibility === "ephemeral") return replies.answer(reply, target);
      await replies.postInChannel(event.channel, await replies.messagesOf(reply, target), {
        userId: user,
        lang: reply.lang,
        threadTs: event.thread_ts ?? event.ts,
      });
    });
}
