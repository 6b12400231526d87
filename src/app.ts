import type { KyselyPlugin } from "kysely";
import pino, { type Logger } from "pino";
import type { Actor } from "./core/actor.js";
import type { Documents } from "./core/documents.js";
import { createI18n, type I18n } from "./core/i18n.js";
import { type Clock, type Store, systemClock } from "./core/ports.js";
import { createRouter, type Router } from "./core/router.js";
import { createWorkQueue, type WorkQueue } from "./core/work-queue.js";
import { migrateToLatest, type OpenDatabase, openDatabase } from "./db/database.js";
import { createStore } from "./db/store.js";
import { createDocuments } from "./documents/documents.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { currentRequestId } from "./ops/request-context.js";

/** The platform-neutral application: database, store, languages and the command router. */
export interface App {
  database: OpenDatabase;
  store: Store;
  i18n: I18n;
  documents: Documents;
  router: Router;
  /** Where adapters run commands: bounded by what the store can serve at once. */
  queue: WorkQueue;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Where secrets hide in what we log: tokens, passwords, signatures and response_urls. */
const SECRET_KEYS = [
  "token",
  "password",
  "authorization",
  "cookie",
  "secret",
  "botToken",
  "appToken",
  "signingSecret",
  "appPassword",
  "signature",
  "response_url",
  "responseUrl",
  "x-slack-signature",
];
/** pino redacts exact paths; these reach three levels down (e.g. err.config.headers). */
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const step = `["${key}"]`;
  return [step, `*${step}`, `*.*${step}`, `*.*.*${step}`];
});

export function createLogger(level: string | undefined, fallback = "info"): Logger {
  // Logs go to stderr so that stdout carries only replies (the console, `export`).
  return pino(
    {
      level: level ?? fallback,
      // Tokens and secrets never reach the log, even inside an error's request config.
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      // Every line written while a request is handled names it (src/ops/request-context.ts).
      mixin() {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
    },
    pino.destination(2),
  );
}

export async function createApp(options: {
  databaseUrl: string;
  logger: Logger;
  clock?: Clock;
  /** The Chromium that prints PDFs; null looks in the usual places. */
  chromiumPath?: string | null;
  publicUrl?: string;
  /** Weekly overdue reminders before an item is stalled (CMP_OVERDUE_REMINDERS; default 4). */
  overdueReminders?: number;
}): Promise<App> {
  const database = openDatabase(options.databaseUrl);
  await migrateToLatest(database.db);
  const logger = options.logger;
  const store = createStore(
    logger.isLevelEnabled("debug") ? database.db.withPlugin(queryLog(logger)) : database.db,
    { overdueReminders: options.overdueReminders },
  );
  const i18n = await createI18n();
  const clock = options.clock ?? systemClock;
  const documents = createDocuments({ chromiumPath: options.chromiumPath ?? null });
  const metrics = createMetrics();
  const router = createRouter({
    store,
    clock,
    i18n,
    documents,
    logger,
    publicUrl: options.publicUrl,
    observe(o) {
      metrics.command(o.verb, o.platform, o.outcome, o.seconds);
      // The reply's line; the request's own line and any platform call carry the same reqId.
      logger.info(
        { verb: o.verb, platform: o.platform, outcome: o.outcome, ms: o.seconds * 1000 },
        "command",
      );
    },
  });
  return {
    database,
    store,
    i18n,
    documents,
    router,
    queue: createWorkQueue({ concurrency: database.concurrency }),
    clock,
    logger,
    metrics,
    close: () => database.close(),
  };
}

/** At debug level, one line per statement (its kind, never its values), with the request id. */
function queryLog(logger: Logger): KyselyPlugin {
  return {
    transformQuery({ node }) {
      logger.debug({ query: node.kind }, "store");
      return node;
    },
    transformResult: async ({ result }) => result,
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

/** Ensures the speaking person exists and is reachable as a console identity. */
export async function consoleSpeaker(store: Store, handle: string, at: string) {
  let person = await store.people.byHandle(handle);
  // The default speaker is a local administrator, so a fresh database is usable at once.
  if (!person && handle === "secretariat") {
    person = await store.people.upsertByHandle(
      {
        handle,
        displayName: "Local admin",
        isAdmin: true,
        country: null,
        language: null,
        timeZone: null,
      },
      at,
    );
  }
  if (!person) return null;
  await store.people.linkIdentity(person.id, "console", handle);
  return person;
}
