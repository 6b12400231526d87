import type { FileConsentCardResponse, TurnContext } from "botbuilder";
import type { Logger } from "pino";
import type { TeamsConfig } from "../../config.js";
import { type I18n, normalizeLanguage } from "../../core/i18n.js";
import type { MessageDoc } from "../../core/render/message.js";
import type { Router } from "../../core/router.js";
import type { Language } from "../../core/tracker/types.js";
import { type RetryPolicy, sendWithRetry } from "./connector.js";
import { docOf, FILE_COMMAND_KEY, simpleDoc } from "./teams.replies.js";
import { baseInvocation } from "./to-invocation.js";
import { uploadAllowed } from "./transport.js";

// A file the person accepted from a consent card: the command that made it runs again (with the
// permissions of whoever accepted), its bytes go to the OneDrive upload session Teams opened, and
// a file card shows the result.

const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";
/** Commands that make a file, the only ones a consent card may run again. */
const FILE_VERBS = ["export", "report"];

export function fileConsent(deps: {
  router: Router;
  i18n: I18n;
  logger: Logger;
  settings: Pick<TeamsConfig, "allowUnauthenticated">;
  sendDoc(
    context: TurnContext,
    doc: MessageDoc,
    lang: Language,
    policy?: RetryPolicy,
  ): Promise<void>;
  retries: RetryPolicy;
  timeoutMs: number;
}) {
  const { router, i18n, logger, settings, sendDoc } = deps;
  // In any language: the card carries the command as the person typed it.
  const fileVerbs = new Set(FILE_VERBS.flatMap((verb) => i18n.allSpellings(`verbs:${verb}`)));
  const t = (lang: Language, key: string) => i18n.localizer(lang).t(key);
  const lang = (context: TurnContext): Language =>
    normalizeLanguage(context.activity.locale) ?? "en";

  return async function accept(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    const command = (response.context as Record<string, unknown> | undefined)?.[FILE_COMMAND_KEY];
    const upload = response.uploadInfo;
    if (
      typeof command !== "string" ||
      !fileVerbs.has(command.split(/\s+/)[0]?.toLowerCase() ?? "") ||
      !upload?.uploadUrl ||
      !uploadAllowed(settings, upload.uploadUrl)
    ) {
      await sendDoc(context, simpleDoc(t(lang(context), "teams:unknown_action")), lang(context));
      return;
    }
    const reply = await router.handle(baseInvocation(context.activity, command));
    if (reply.kind !== "file") {
      const doc = docOf(reply);
      if (doc) await sendDoc(context, doc, reply.lang, deps.retries);
      return;
    }
    const data =
      typeof reply.content === "string"
        ? Buffer.from(reply.content, "utf8")
        : Buffer.from(reply.content);
    try {
      // The whole file in one PUT to the OneDrive upload session Teams opened: an export is
      // far below the 60 MiB a single fragment may carry.
      const uploaded = await fetch(upload.uploadUrl, {
        method: "PUT",
        headers: {
          "content-type": reply.mimeType,
          "content-range": `bytes 0-${data.length - 1}/${data.length}`,
        },
        body: data,
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      if (!uploaded.ok) throw new Error(`upload answered HTTP ${uploaded.status}`);
    } catch (error) {
      logger.warn({ err: error }, "could not upload an export to OneDrive");
      await sendDoc(context, simpleDoc(t(reply.lang, "teams:file.upload_failed")), reply.lang);
      return;
    }
    const info = {
      contentType: FILE_INFO_CARD,
      name: upload.name,
      contentUrl: upload.contentUrl,
      content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
    };
    await sendWithRetry(
      () => context.sendActivity({ type: "message", attachments: [info] }),
      deps.retries,
    );
  };
}
