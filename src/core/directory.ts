import type { Clock, Store } from "./ports.js";
import type { Platform } from "./tracker/types.js";

/**
 * What a platform adapter may know of people and conversations beyond a command: whether an
 * account is known, that two accounts are one person, and where the bot can post later. The
 * adapter gets this port, never the store.
 */
export interface Directory {
  /** True when the account belongs to a known person. */
  knows(userId: string): Promise<boolean>;
  /**
   * Two ids of one person on this platform (Teams: the AAD object id imports name, and the
   * bot-scoped "29:" id @mentions carry): whichever is known, the other joins it.
   */
  linkAliases(a: string, b: string): Promise<void>;
  /** Where the bot can post later; with `personalUserId`, that person's 1:1 conversation. */
  saveConversation(
    conversationId: string,
    reference: unknown,
    personalUserId: string | null,
  ): Promise<void>;
  conversation(conversationId: string): Promise<unknown | null>;
  personalConversation(personId: number): Promise<unknown | null>;
  /** The 1:1 conversation of the person behind this account; null before they opened one. */
  personalConversationOf(userId: string): Promise<unknown | null>;
}

export function createDirectory(store: Store, platform: Platform, clock: Clock): Directory {
  return {
    knows: async (userId) => (await store.people.byIdentity(platform, userId)) !== null,
    async linkAliases(a, b) {
      if (a === b) return;
      await store.transaction(async (tx) => {
        const [byA, byB] = await Promise.all([
          tx.people.byIdentity(platform, a),
          tx.people.byIdentity(platform, b),
        ]);
        if (byA && !byB) await tx.people.linkIdentity(byA.id, platform, b);
        else if (byB && !byA) await tx.people.linkIdentity(byB.id, platform, a);
      });
    },
    async saveConversation(conversationId, reference, personalUserId) {
      const person = personalUserId
        ? await store.people.byIdentity(platform, personalUserId)
        : null;
      await store.conversations.save(
        platform,
        conversationId,
        reference,
        person?.id ?? null,
        clock.now().toISOString(),
      );
    },
    conversation: (conversationId) => store.conversations.get(platform, conversationId),
    async personalConversation(personId) {
      return (await store.conversations.personal(platform, personId))?.ref ?? null;
    },
    async personalConversationOf(userId) {
      const person = await store.people.byIdentity(platform, userId);
      if (!person) return null;
      return (await store.conversations.personal(platform, person.id))?.ref ?? null;
    },
  };
}
