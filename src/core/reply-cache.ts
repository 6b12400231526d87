// Replies that are the same for everyone who may see them (a group's `status`, the overview),
// kept by a key that changes whenever they could: the group's revision (bumped in the store by
// every write to what the reply shows, so a write by another replica counts too), the current
// minute (what is overdue or next depends on the time), the reader's language and how they
// address the bot. Rights are still checked on every request, before the cache is asked.

export interface ReplyCache {
  /** The value kept under `key`, or the one `compute` makes, then kept (frozen: shared). */
  get<T extends object>(key: string, compute: () => Promise<T>): Promise<T>;
}

function freeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  }
  return value;
}

export function createReplyCache(max = 256): ReplyCache {
  // Insertion order is recency: a hit moves to the end, the oldest goes first.
  const entries = new Map<string, Promise<object>>();
  return {
    get<T extends object>(key: string, compute: () => Promise<T>): Promise<T> {
      const kept = entries.get(key);
      if (kept) {
        entries.delete(key);
        entries.set(key, kept);
        return kept as Promise<T>;
      }
      // Concurrent requests for one key share one computation.
      const made = compute().then(freeze);
      entries.set(key, made);
      made.catch(() => entries.delete(key));
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return made;
    },
  };
}
