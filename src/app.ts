import pino, { type Logger } from "pino";
import type { Actor } from "./core/actor.js";
import { createI18n, type I18n } from "./core/i18n.js";
import { type Clock, type Store, systemClock } from "./core/ports.js";
import { createRouter, type Router } from "./core/router.js";
import { migrateToLatest, type OpenDatabase, openDatabase } from "./db/database.js";
import { createStore } from "./db/store.js";

/** The platform-neutral application: database, store, languages and the command router. */
export interface App {
  database: OpenDatabase;
  store: Store;
  i18n: I18n;
  router: Router;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
}

export function createLogger(level: string | undefined, fallback = "info"): Logger {
  // Logs go to stderr so that stdout carries only replies (the console, `export`).
  return pino(
    {
      level: level ?? fallback,
      // Tokens and secrets never reach the log, even inside an error's request config.
      redact: {
        paths: [
          "*.token",
          "*.password",
          "*.authorization",
          "*.headers.authorization",
          "*.botToken",
          "*.signingSecret",
          "*.appPassword",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}

export async function createApp(options: {
  databaseUrl: string;
  logger: Logger;
  clock?: Clock;
  publicUrl?: string;
}): Promise<App> {
  const database = openDatabase(options.databaseUrl);
  await migrateToLatest(database.db);
  const store = createStore(database.db);
  const i18n = await createI18n();
  const clock = options.clock ?? systemClock;
  const router = createRouter({
    store,
    clock,
    i18n,
    logger: options.logger,
    publicUrl: options.publicUrl,
  });
  return {
    database,
    store,
    i18n,
    router,
    clock,
    logger: options.logger,
    close: () => database.close(),
  };
}

/** The actor for work done by the system itself (imports, the CLI). */
export async function systemActor(store: Store, at: string): Promise<Actor> {
  const person = await store.people.upsertByHandle(
    {
      handle: "system",
      displayName: "CMP bot",
      isAdmin: true,
      country: null,
      language: null,
      timeZone: null,
    },
    at,
  );
  return { person, memberships: [] };
}
