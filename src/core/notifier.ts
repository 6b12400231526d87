import type { MessageDoc } from "./render/message.js";
import type { Platform } from "./tracker/types.js";

// The outbound side of an adapter, for scheduled posts: what it must do and what it answers.

/** What a platform answered to one post. */
export type PostResult =
  | { status: "sent"; messageId: string }
  /** Refused for now (429, 5xx before acceptance): safe to try again later. */
  | { status: "retry"; reason: string; retryAfterMs?: number }
  /** Never going to work (channel gone, bot removed, 403): stop trying. */
  | { status: "failed"; reason: string }
  /** Maybe posted (timeout, 500 after acceptance): reconcile before any second attempt. */
  | { status: "unknown"; reason: string };

/** Outbound side of an adapter: posts a rendered document to a channel or a person. */
export interface Notifier {
  platform: Platform;
  /**
   * Posts once, with the platform client's own retries off; `deliveryKey` travels with the post.
   * With `threadId` (a message id the platform gave), as a reply in that message's thread.
   */
  post(
    channelId: string,
    doc: MessageDoc,
    options: { deliveryKey: string; threadId?: string },
  ): Promise<PostResult>;
  /**
   * After an ambiguous failure: the id of a recent post carrying `deliveryKey`, or null when
   * the channel was searched and holds none. Throws when it cannot tell (the platform cannot
   * be searched, the search failed): the scheduler then never posts again blindly. With
   * `threadId`, the replies in that message's thread are searched.
   */
  findDelivered(
    channelId: string,
    deliveryKey: string,
    since: Date,
    threadId?: string,
  ): Promise<string | null>;
  /** A direct message to a person, where the platform allows it; null when it cannot reach them. */
  postDirect(
    person: { personId: number; userId: string },
    doc: MessageDoc,
    options: { deliveryKey: string },
  ): Promise<PostResult | null>;
  /**
   * Like `findDelivered`, for a direct message. Optional: without it an ambiguous direct
   * message is not retried, since a second attempt could post twice.
   */
  findDeliveredDirect?(
    person: { personId: number; userId: string },
    deliveryKey: string,
    since: Date,
  ): Promise<string | null>;
}
