import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import type { Directory } from "../../core/directory.js";
import type { Notifier, PostResult } from "../../core/notifier.js";
import { inertText } from "../../core/render/inert.js";
import type { MessageDoc } from "../../core/render/message.js";
import { classifyFailure } from "./connector.js";
import { type AdaptiveCard, CARD_CONTENT_TYPE, renderCards } from "./to-adaptive-card.js";

// Proactive posts: Teams only lets a bot post where it has been added or spoken to, through the
// conversation reference it stored then (see teams.adapter.ts).

export function cardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  return {
    type: "message",
    // Teams shows `summary` in notifications and the activity feed instead of "Card".
    summary: inertText(summary),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
  };
}

export function createTeamsNotifier(deps: {
  adapter: CloudAdapter;
  /** The bot's app id; empty in unauthenticated local testing. */
  appId: string;
  /** Only the conversation references are read: where the bot was added or spoken to. */
  directory: Pick<Directory, "conversation" | "personalConversation">;
}): Notifier {
  async function postTo(
    reference: Partial<ConversationReference>,
    doc: MessageDoc,
    deliveryKey: string,
  ): Promise<PostResult> {
    const cards = renderCards(doc, { deliveryKey });
    let firstId: string | null = null;
    let outcome: PostResult | null = null;
    // Errors are caught inside the turn: the adapter would hand them to onTurnError otherwise.
    // One attempt per card (the connector client does not retry): the scheduler owns retries.
    await deps.adapter.continueConversationAsync(deps.appId, reference, async (context) => {
      // botbuilder would make each post a reply to the synthetic activity it continues from;
      // a proactive post is a new message in the conversation.
      context.onSendActivities(async (_context, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      try {
        for (const card of cards) {
          const sent = await context.sendActivity(cardActivity(card, doc.summary));
          firstId ??= sent?.id ?? null;
        }
      } catch (error) {
        const verdict = classifyFailure(error);
        // Part of a long post went out: another attempt would repeat it.
        outcome =
          firstId && verdict.status === "retry"
            ? { status: "unknown", reason: `${verdict.reason} after part of the post` }
            : verdict;
      }
    });
    return outcome ?? { status: "sent", messageId: firstId ?? "" };
  }

  return {
    platform: "teams",
    async post(channelId, doc, options) {
      const reference = await deps.directory.conversation(channelId);
      if (!reference)
        return {
          status: "failed",
          reason: "no conversation reference: the bot was never added to this conversation",
        };
      const ref = reference as Partial<ConversationReference>;
      // A channel thread is its own conversation: "<channel>;messageid=<root message id>".
      const inThread =
        options.threadId && ref.conversation
          ? {
              ...ref,
              conversation: {
                ...ref.conversation,
                id: `${ref.conversation.id};messageid=${options.threadId}`,
              },
            }
          : ref;
      return postTo(inThread, doc, options.deliveryKey);
    },
    async findDelivered() {
      // The Bot Connector API cannot list a conversation's messages; only Microsoft Graph can
      // (ChannelMessage.Read.All or the ChannelMessage.Read.Group RSC permission), which this
      // app does not request. The delivery key is in each card (the first element's id) for
      // when it does. Until then an ambiguous post cannot be confirmed either way, and the
      // port's contract for "cannot tell" is to throw: the scheduler then never posts twice.
      throw new Error("Teams cannot search a conversation's messages without Microsoft Graph");
    },
    async postDirect(person, doc, options) {
      const personal = await deps.directory.personalConversation(person.personId);
      if (!personal) return null;
      return postTo(personal as Partial<ConversationReference>, doc, options.deliveryKey);
    },
  };
}
