import pino from "pino";
import { renderText } from "../../src/adapters/console/to-text.js";
import type { App } from "../../src/app.js";
import type { Notifier, PostResult } from "../../src/core/notifier.js";
import type { Clock } from "../../src/core/ports.js";
import type { MessageDoc } from "../../src/core/render/message.js";
import type { Platform } from "../../src/core/tracker/types.js";
import { createScheduler, type SchedulerOptions } from "../../src/scheduler/runner.js";

/** One call the scheduler made to a platform. */
export interface PostCall {
  platform: Platform;
  /** Channel id, or the user id of a direct message. */
  to: string;
  direct: boolean;
  key: string;
  /** When the scheduler posted it (the fake clock). */
  at: string;
  text: string;
  doc: MessageDoc;
}

/**
 * How the fake platform answers one post: as it is, or "accepted, then a 500" — the post
 * reached the channel but the answer was lost.
 */
export type Answer = PostResult | { status: "accepted-then-lost"; reason: string };

/**
 * A recording fake of a platform's outbound side. `delivered` is what really reached the
 * channel — the test's ground truth for "exactly once"; `calls` is every attempt.
 */
export function recordingNotifier(
  platform: Platform,
  clock: Clock,
  options: {
    answer?: (call: PostCall, attempt: number) => Answer;
    /** Without it a direct message's unknown outcome cannot be reconciled. */
    searchDirect?: boolean;
    /** The channels' contents, shared by fakes that stand for the same platform. */
    delivered?: PostCall[];
  } = {},
) {
  const calls: PostCall[] = [];
  const delivered: PostCall[] = options.delivered ?? [];
  const searches: { to: string; key: string }[] = [];
  let next = 0;
  const attempts = new Map<string, number>();
  const send = (to: string, direct: boolean, doc: MessageDoc, key: string): PostResult => {
    const call: PostCall = {
      platform,
      to,
      direct,
      key,
      at: clock.now().toISOString(),
      text: renderText(doc),
      doc,
    };
    calls.push(call);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const answer = options.answer?.(call, attempt) ?? { status: "sent", messageId: "" };
    if (answer.status === "sent" || answer.status === "accepted-then-lost") {
      next += 1;
      delivered.push(call);
      if (answer.status === "accepted-then-lost")
        return { status: "unknown", reason: answer.reason };
      return { status: "sent", messageId: `${platform}-msg-${next}` };
    }
    return answer;
  };
  const find = (to: string, key: string) => {
    searches.push({ to, key });
    const index = delivered.findIndex((d) => d.to === to && d.key === key);
    return index < 0 ? null : `${platform}-found-${index}`;
  };
  const notifier: Notifier = {
    platform,
    async post(channelId, doc, { deliveryKey }) {
      return send(channelId, false, doc, deliveryKey);
    },
    async findDelivered(channelId, deliveryKey) {
      return find(channelId, deliveryKey);
    },
    async postDirect(person, doc, { deliveryKey }) {
      return send(person.userId, true, doc, deliveryKey);
    },
  };
  if (options.searchDirect !== false) {
    notifier.findDeliveredDirect = async (person, deliveryKey) => find(person.userId, deliveryKey);
  }
  return { notifier, calls, delivered, searches };
}

export type RecordingNotifier = ReturnType<typeof recordingNotifier>;

/** A scheduler over a test app whose pacing waits move the fake clock instead of sleeping. */
export function testScheduler(
  app: App,
  clock: Clock & { advance(ms: number): void },
  notifiers: Notifier[],
  overrides: Partial<SchedulerOptions> = {},
) {
  return createScheduler({
    store: app.store,
    i18n: app.i18n,
    clock,
    logger: pino({ level: "silent" }),
    notifiers,
    graceMs: 24 * 3_600_000,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
    ...overrides,
  });
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
