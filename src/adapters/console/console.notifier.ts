import type { Localizer } from "../../core/i18n.js";
import type { Notifier } from "../../core/ports.js";
import { inertText } from "../../core/render/inert.js";
import { renderText } from "./to-text.js";

/**
 * Scheduled posts in the terminal: each printed under a header naming where it would go.
 * The console has no history to search, so reconciliation looks in what this process printed.
 */
export function createConsoleNotifier(options: {
  output: NodeJS.WritableStream;
  l: Localizer;
}): Notifier {
  const printed = new Map<string, string>();
  let count = 0;
  const print = (header: string, text: string, deliveryKey: string) => {
    count += 1;
    const messageId = `console-${count}`;
    options.output.write(`\n${inertText(header)}\n${text}\n`);
    printed.set(deliveryKey, messageId);
    return { status: "sent" as const, messageId };
  };
  return {
    platform: "console",
    async post(channelId, doc, { deliveryKey }) {
      const header = options.l.t("schedule:console.channel", {
        platform: options.l.t("schedule:platform.console"),
        channel: channelId,
      });
      return print(header, renderText(doc), deliveryKey);
    },
    async findDelivered(_channelId, deliveryKey) {
      return printed.get(deliveryKey) ?? null;
    },
    async postDirect(person, doc, { deliveryKey }) {
      const header = options.l.t("schedule:console.direct", { user: person.userId });
      return print(header, renderText(doc), deliveryKey);
    },
    async findDeliveredDirect(_person, deliveryKey) {
      return printed.get(deliveryKey) ?? null;
    },
  };
}
