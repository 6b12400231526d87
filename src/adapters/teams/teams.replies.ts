import type { Attachment, TaskModuleResponse, TurnContext } from "botbuilder";
import type { I18n } from "../../core/i18n.js";
import type { Invocation } from "../../core/invocation.js";
import type { MessageDoc, Reply } from "../../core/render/message.js";
import { type Refused, type RoutedReply, type Router, refusalReply } from "../../core/router.js";
import type { Language } from "../../core/tracker/types.js";
import { type RetryPolicy, sendWithRetry } from "./connector.js";
import { cardActivity } from "./teams.notifier.js";
import {
  type AdaptiveCard,
  dialog,
  type FieldError,
  formLauncherCard,
  refreshedFor,
  renderCards,
  renderFormCard,
  type Submission,
} from "./to-adaptive-card.js";
import { isPersonalChat } from "./to-invocation.js";

// Answering in Teams: replies as Adaptive Cards, a file (export, report) as a file-consent card
// in the person's personal chat, forms as dialogs (task modules) that show a refusal on the
// field it is about.

const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
/** Where a file-consent card carries the command that made the file, to run it on acceptance. */
export const FILE_COMMAND_KEY = "cmpFile";

export function docOf(reply: RoutedReply | Reply): MessageDoc | null {
  return reply.kind === "form" ? null : reply.doc;
}

function isRefused(result: RoutedReply | Refused): result is Refused {
  return result.kind === "refused";
}

export function simpleDoc(text: string): MessageDoc {
  return { summary: text, blocks: [{ type: "text", text }] };
}

export function createTeamsReplies(deps: {
  router: Router;
  i18n: I18n;
  messageRetries: RetryPolicy;
  /**
   * Runs `work` in the personal chat of the person who wrote `context`'s activity; false when
   * they have none with the bot yet.
   */
  inPersonalChat(
    context: TurnContext,
    work: (personal: TurnContext) => Promise<void>,
  ): Promise<boolean>;
}) {
  const { router, i18n, messageRetries, inPersonalChat } = deps;
  const t = (lang: Language, key: string, vars?: Record<string, unknown>) =>
    i18n.localizer(lang).t(key, vars);

  async function send(
    context: TurnContext,
    cards: AdaptiveCard[],
    summary: string,
    policy = messageRetries,
  ) {
    for (const card of cards)
      await sendWithRetry(() => context.sendActivity(cardActivity(card, summary)), policy);
  }

  async function sendDoc(
    context: TurnContext,
    doc: MessageDoc,
    lang: Language,
    policy?: RetryPolicy,
  ) {
    await send(context, renderCards(doc, { lang }), doc.summary, policy);
  }

  async function sendReply(
    context: TurnContext,
    reply: RoutedReply,
    invocation: Invocation,
  ): Promise<void> {
    if (reply.kind === "form") {
      const card = formLauncherCard(reply.form, t(reply.lang, "teams:form.open"), reply.lang);
      await send(context, [card], reply.form.title);
      return;
    }
    if (reply.kind === "file") {
      // Teams takes a bot's file only after the person accepts it into their OneDrive, and only
      // in a personal chat. The card carries the command, not the file: on acceptance it runs
      // again, with the permissions of the person who accepts, and nothing waits in memory.
      const consent: Attachment = {
        contentType: FILE_CONSENT_CARD,
        name: reply.filename,
        content: {
          description: reply.doc.summary,
          sizeInBytes:
            typeof reply.content === "string"
              ? Buffer.byteLength(reply.content, "utf8")
              : reply.content.length,
          acceptContext: { [FILE_COMMAND_KEY]: invocation.text.trim() },
          declineContext: {},
        },
      };
      const offerFile = async (personal: TurnContext) => {
        await sendDoc(personal, reply.doc, reply.lang);
        await sendWithRetry(
          () => personal.sendActivity({ type: "message", attachments: [consent] }),
          messageRetries,
        );
      };
      if (isPersonalChat(context.activity)) return offerFile(context);
      // In a channel: the card goes to the person's personal chat, and the channel is told.
      const sent = await inPersonalChat(context, offerFile);
      const note = t(
        reply.lang,
        sent ? "teams:file.sent_personal" : "teams:file.personal_chat_only",
        {
          name: reply.filename,
        },
      );
      await sendDoc(context, simpleDoc(note), reply.lang);
      return;
    }
    if (reply.personal) {
      // The page is redrawn for its viewer whenever they look at it (teams.adapter.ts).
      const viewer = context.activity.from?.id ?? "";
      const cards = refreshedFor(renderCards(reply.doc, { lang: reply.lang }), viewer);
      const page = (to: TurnContext) => send(to, cards, reply.doc.summary);
      if (isPersonalChat(context.activity)) return page(context);
      // A channel sees every answer: a personal page goes to the person's personal chat.
      const sent = await inPersonalChat(context, page);
      const note = t(reply.lang, sent ? "teams:personal.sent" : "teams:personal.none");
      await sendDoc(context, simpleDoc(note), reply.lang);
      return;
    }
    await sendDoc(context, reply.doc, reply.lang);
  }

  async function openForm(
    invocation: Invocation,
    submission: Pick<Submission, "form" | "context">,
    values: Record<string, string> = {},
    error?: FieldError,
  ): Promise<TaskModuleResponse> {
    const prefill = { ...submission.context, ...(values.group ? { group: values.group } : {}) };
    const result = await router.openForm(invocation, submission.form, prefill);
    if (result.kind === "form") {
      const form = {
        ...result.form,
        fields: result.form.fields.map((f) => ({ ...f, initial: values[f.name] ?? f.initial })),
      };
      const requiredMessage = t(result.lang, "teams:form.required");
      const card = renderFormCard(form, { lang: result.lang, requiredMessage, error });
      return dialog(form.title, card) as TaskModuleResponse;
    }
    const reply = isRefused(result) ? refusalReply(result) : result;
    return messageDialog(reply, result.lang);
  }

  function messageDialog(reply: RoutedReply, lang: Language): TaskModuleResponse {
    const doc = docOf(reply) ?? { summary: "", blocks: [] };
    const [card] = renderCards(doc, { lang });
    return dialog(t(lang, "teams:dialog_title"), card as AdaptiveCard) as TaskModuleResponse;
  }

  /** Submits a dialog: a refusal shows the form again with the error where it belongs. */
  async function submitDialog(
    invocation: Invocation,
    submission: Submission,
    onSuccess: (reply: RoutedReply) => Promise<void>,
  ): Promise<TaskModuleResponse | undefined> {
    const result = await router.submitForm(invocation, submission);
    if (isRefused(result))
      return openForm(
        { ...invocation, requestKey: undefined },
        submission,
        submission.values,
        result,
      );
    if (result.kind === "message" && result.visibility === "ephemeral")
      // A duplicate submission or a generic failure: nothing to post, say it in the dialog.
      return messageDialog(result, result.lang);
    await onSuccess(result);
    return undefined;
  }

  return { sendDoc, sendReply, openForm, messageDialog, submitDialog };
}
