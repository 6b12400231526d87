import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { SlackProfile } from "./to-invocation.js";

// A person's Slack locale and time zone (users.info with include_locale) are the default
// language and zone of their replies until they choose one with `lang`. Looked up once per
// person every few minutes, not on every command.

export interface Profiles {
  /** null when Slack could not tell (the command still runs, with the person's stored defaults). */
  get(userId: string): Promise<SlackProfile | null>;
  /** What is known without asking Slack (the person was seen a few minutes ago). */
  cached(userId: string): SlackProfile | null;
  /** Display names for mentioned user ids (Slack's own label is the username). */
  names(userIds: string[]): Promise<Map<string, string>>;
}

const MAX_ENTRIES = 5000;

export function createProfiles(deps: {
  client: webApi.WebClient;
  logger: Logger;
  ttlMs?: number;
  now?: () => number;
}): Profiles {
  const ttlMs = deps.ttlMs ?? 10 * 60_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; profile: SlackProfile }>();

  async function get(userId: string): Promise<SlackProfile | null> {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < ttlMs) return hit.profile;
    try {
      const { user } = await deps.client.users.info({ user: userId, include_locale: true });
      if (!user) return null;
      const profile: SlackProfile = {
        userId,
        displayName:
          user.profile?.display_name ||
          user.profile?.real_name ||
          user.real_name ||
          user.name ||
          "",
        locale: user.locale ?? null,
        timeZone: user.tz ?? null,
      };
      cache.delete(userId);
      cache.set(userId, { at: now(), profile });
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      return profile;
    } catch (error) {
      deps.logger.warn({ err: error, userId }, "slack users.info failed");
      return hit?.profile ?? null;
    }
  }

  return {
    get,
    cached: (userId) => cache.get(userId)?.profile ?? null,
    async names(userIds) {
      const names = new Map<string, string>();
      for (const id of new Set(userIds)) {
        const profile = await get(id);
        if (profile?.displayName) names.set(id, profile.displayName);
      }
      return names;
    },
  };
}
