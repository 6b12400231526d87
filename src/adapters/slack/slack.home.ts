import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Router } from "../../core/router.js";
import type { Profiles } from "./slack.profiles.js";
import { type SlackMessage, toHomeView, toSlackMessages } from "./to-block-kit.js";
import { userInvocation } from "./to-invocation.js";

// The App Home tab (issue 13): the person's own page (`home`), published afresh each time they
// open it, and again when something it shows changes — a change from any platform, debounced so
// a burst of changes publishes once, and published only when the page really differs. Only the
// pages of people who opened theirs in the last day are kept fresh (Slack rate-limits
// views.publish per user). Where the Home tab cannot be published, the page goes to the
// person's direct messages with the app.

const KEEP_FRESH_MS = 24 * 3_600_000;
const MAX_VIEWERS = 2000;

/** `opened` handles `app_home_opened` events; `stop` ends the refreshes. */
export function keepHomes(deps: {
  client: webApi.WebClient;
  router: Router;
  profiles: Profiles;
  logger: Logger;
  guarded: (what: string, work: () => Promise<void>) => Promise<void>;
  /** Posts in the person's direct messages with the app (replies.ts). */
  postToPerson: (userId: string, messages: SlackMessage[]) => Promise<void>;
  /** How long after a change the pages are refreshed (changes in between join it). */
  refreshAfterMs?: number;
}): { opened(event: { tab?: string; user: string }): Promise<void>; stop(): void } {
  const { client, router, profiles, logger } = deps;
  const refreshAfterMs = deps.refreshAfterMs ?? 2_000;
  /** Who opened their page, when, and what was published to it last. */
  const viewers = new Map<string, { openedAt: number; published: string }>();
  let timer: NodeJS.Timeout | null = null;

  function remember(userId: string, openedAt: number, published: string): void {
    viewers.delete(userId);
    viewers.set(userId, { openedAt, published });
    if (viewers.size > MAX_VIEWERS) viewers.delete(viewers.keys().next().value as string);
  }

  async function publish(userId: string, passive: boolean): Promise<void> {
    // Kept fresh from the moment it is opened: a change while it is being published counts.
    if (!passive) remember(userId, Date.now(), viewers.get(userId)?.published ?? "");
    // "mycmp" is a spelling of `home` in all three languages: the page comes in the person's.
    const invocation = {
      // A refresh asks Slack nothing, and offers no name (an empty one changes nothing).
      ...userInvocation(
        userId,
        passive ? "" : userId,
        null,
        passive ? profiles.cached(userId) : await profiles.get(userId),
      ),
      text: "mycmp",
      ...(passive ? { passive: true } : {}),
    };
    const reply = await router.handle(invocation);
    if (reply.kind !== "message") return;
    const view = toHomeView(reply.doc);
    const json = JSON.stringify(view);
    const seen = viewers.get(userId);
    if (passive && seen?.published === json) return;
    try {
      await client.views.publish({ user_id: userId, view });
    } catch (error) {
      if (passive) throw error;
      // No Home tab to publish to (turned off in the app's settings, refused): the page goes
      // to the person's direct messages with the app instead.
      logger.warn({ err: error, userId }, "slack views.publish failed; sending the page directly");
      await deps.postToPerson(userId, toSlackMessages(reply.doc));
      return;
    }
    remember(userId, seen?.openedAt ?? Date.now(), json);
  }

  async function refresh(): Promise<void> {
    timer = null;
    const since = Date.now() - KEEP_FRESH_MS;
    for (const [userId, viewer] of [...viewers]) {
      if (viewer.openedAt < since) {
        viewers.delete(userId);
        continue;
      }
      try {
        await publish(userId, true);
      } catch (error) {
        logger.warn({ err: error, userId }, "slack home refresh failed");
      }
    }
  }

  const unsubscribe = router.onChange(() => {
    if (timer || viewers.size === 0) return;
    timer = setTimeout(() => void refresh(), refreshAfterMs);
    timer.unref();
  });

  return {
    opened: (event) =>
      deps.guarded("home", async () => {
        if (event.tab !== "home") return;
        await publish(event.user, false);
      }),
    stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
  };
}
