import { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { I18n } from "../../core/i18n.js";
import type { FormDoc } from "../../core/render/message.js";
import { type Refused, type RoutedReply, refusalReply } from "../../core/router.js";
import type { Language } from "../../core/tracker/types.js";
import { deliverFile } from "./slack.files.js";
import { formContext, formToModal, type SlackMessage, toSlackMessages } from "./to-block-kit.js";
import { encodeFormMetadata, type FormMetadata } from "./to-invocation.js";
import { postThreaded } from "./transport.js";

// Answering what a person did: through the response_url Slack gave when it is one we trust,
// else the Web API; in the channel, in a thread, only for them, or in their direct messages;
// and forms as modals.

/** Who acted, where, and the response_url Slack gave with it. */
export interface Target {
  userId: string;
  channelId: string | null;
  responseUrl?: string | null;
}

export function createReplies(deps: {
  client: webApi.WebClient;
  i18n: I18n;
  logger: Logger;
  /** Hosts a response_url may point at. */
  responseUrlHosts: string[];
  /** The Web API's host when it is served on plain http (a loopback fake in tests). */
  plainApiHost: string | null;
  timeoutMs: number;
}) {
  const { client, i18n, logger } = deps;
  const responseHosts = new Set(deps.responseUrlHosts);
  const { plainApiHost } = deps;

  /** A response_url is followed only on an allowed host; anything else is never fetched. */
  function allowedResponseUrl(url: string | null | undefined): string | null {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      const host = parsed.host.toLowerCase();
      // Plain http only for a Web API configured on http (a fake on loopback in tests).
      const secure =
        parsed.protocol === "https:" || (parsed.protocol === "http:" && host === plainApiHost);
      if (secure && responseHosts.has(host)) return parsed.href;
      logger.warn(
        { host: parsed.host },
        "response_url host not allowed; answering via the Web API",
      );
    } catch {
      logger.warn("response_url malformed; answering via the Web API");
    }
    return null;
  }

  async function postResponse(url: string, body: object): Promise<void> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    await res.arrayBuffer();
  }

  /**
   * A file is shared by itself (in the channel, or in the person's direct messages when the
   * reply is for them alone); what remains to say goes the usual way: where it went, or that
   * the upload failed and nothing was shared.
   */
  async function messagesOf(
    reply: Exclude<RoutedReply, { kind: "form" }>,
    target: Target,
  ): Promise<SlackMessage[]> {
    if (reply.kind === "message") return toSlackMessages(reply.doc);
    const delivered = await deliverFile({ client, logger }, reply, target);
    if (delivered.status === "channel" || (delivered.status === "direct" && !target.channelId))
      return [];
    const note = i18n
      .localizer(reply.lang)
      .t(delivered.status === "direct" ? "slack:file_sent_direct" : "slack:file_failed", {
        name: reply.filename,
      });
    return toSlackMessages({ summary: note, blocks: [{ type: "text", text: note }] });
  }

  /** Posts in a channel (in a thread with `threadTs`); if the bot is not there, to the person. */
  async function postInChannel(
    channelId: string,
    messages: SlackMessage[],
    options: { userId: string; lang: Language; threadTs?: string | null },
  ): Promise<void> {
    try {
      await postThreaded(client, channelId, messages, { threadTs: options.threadTs });
    } catch (error) {
      const code = error instanceof webApi.WebAPIPlatformError ? error.data.error : null;
      if (code !== "not_in_channel" && code !== "channel_not_found") throw error;
      const note = i18n.localizer(options.lang).t("slack:not_in_channel");
      await postToPerson(options.userId, [
        ...toSlackMessages({ summary: note, blocks: [{ type: "context", text: note }] }),
        ...messages,
      ]);
    }
  }

  async function postToPerson(userId: string, messages: SlackMessage[]): Promise<void> {
    // A user id as the channel posts in the person's direct messages with the app.
    for (const message of messages)
      await client.chat.postMessage({
        channel: userId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
  }

  async function postEphemeral(target: Target, messages: SlackMessage[]): Promise<void> {
    if (!target.channelId) return postToPerson(target.userId, messages);
    for (const message of messages)
      await client.chat.postEphemeral({
        channel: target.channelId,
        user: target.userId,
        text: message.text,
        blocks: message.blocks,
      });
  }

  /** A reply to something a person did: through response_url when Slack gave one we trust. */
  async function answer(
    reply: Exclude<RoutedReply, { kind: "form" }>,
    target: Target,
    /** Messages already converted (what the ack did not carry), instead of the whole reply. */
    remaining?: SlackMessage[],
  ) {
    let messages = remaining ?? (await messagesOf(reply, target));
    if (messages.length === 0) return;
    const url = allowedResponseUrl(target.responseUrl);
    if (url) {
      try {
        while (messages.length > 0) {
          const [message] = messages as [SlackMessage];
          await postResponse(url, {
            response_type: reply.kind === "file" ? "ephemeral" : reply.visibility,
            replace_original: false,
            text: message.text,
            blocks: message.blocks,
          });
          messages = messages.slice(1);
        }
        return;
      } catch (error) {
        // A response_url expires after 30 minutes and 5 uses; the Web API still reaches them.
        logger.warn({ err: error }, "response_url failed; answering via the Web API");
      }
    }
    // What is said about a file is for the person who asked, whatever the file's visibility.
    if (reply.visibility === "ephemeral" || reply.kind === "file" || !target.channelId)
      return postEphemeral(target, messages);
    return postInChannel(target.channelId, messages, { userId: target.userId, lang: reply.lang });
  }

  async function openForm(
    form: FormDoc,
    lang: Language,
    triggerId: string,
    where: Pick<FormMetadata, "channelId" | "source">,
    target: Target,
  ): Promise<void> {
    const metadata = encodeFormMetadata({
      form: form.id,
      context: formContext(form),
      lang,
      ...where,
    });
    const view = formToModal(form, metadata, { close: i18n.localizer(lang).t("slack:cancel") });
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      // Most often the trigger expired (3 s); the person is told to try again.
      logger.warn({ err: error, form: form.id }, "slack views.open failed");
      const text = i18n.localizer(lang).t("slack:form_failed");
      await answer(
        {
          kind: "message",
          visibility: "ephemeral",
          doc: { summary: text, blocks: [{ type: "text", text }] },
          lang,
        },
        target,
      );
    }
  }

  /**
   * Shows what the core answered to a click or a shortcut: the form it opens in a modal, or
   * the reply (why not, for a form: only co-chairs may log…).
   */
  async function offer(
    answered: Promise<RoutedReply | Refused>,
    triggerId: string,
    place: () => Promise<Pick<FormMetadata, "channelId" | "source">>,
    target: Target,
  ): Promise<void> {
    // Looked up while the core works: the trigger expires 3 s after the click.
    const placed = place();
    // Awaited below unless no form opens; a failure then must not go unhandled.
    placed.catch(() => undefined);
    const result = await answered;
    const reply = result.kind === "refused" ? refusalReply(result) : result;
    if (reply.kind !== "form") return answer(reply, target);
    await openForm(reply.form, reply.lang, triggerId, await placed, target);
  }

  return { answer, postInChannel, postToPerson, messagesOf, offer, openForm };
}
