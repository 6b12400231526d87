import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { renderText } from "../../src/adapters/console/to-text.js";
import { type App, createApp, systemActor } from "../../src/app.js";
import type { Invocation, Mention } from "../../src/core/invocation.js";
import type { Clock } from "../../src/core/ports.js";
import type { RoutedReply } from "../../src/core/router.js";
import type { Language, Platform } from "../../src/core/tracker/types.js";
import { type ImportFile, importData } from "../../src/import/yaml-import.js";

/** A clock the test moves by hand. */
export function fakeClock(
  start: string,
): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso) => {
      now = new Date(iso);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** A small partnership: TIIWG (open to all), LMWG (restricted), and people in every role. */
export const SMALL_PARTNERSHIP: ImportFile = {
  people: [
    {
      key: "admin",
      name: "Secretariat Admin",
      admin: true,
      language: "en",
      timeZone: "America/Toronto",
      country: "CA",
    },
    {
      key: "sara",
      name: "Sara Wilshaw",
      language: "en",
      timeZone: "America/Toronto",
      country: "CA",
    },
    {
      key: "salvador",
      name: "Salvador Behar",
      language: "es",
      timeZone: "America/Mexico_City",
      country: "MX",
    },
    {
      key: "chantal",
      name: "Chantal Roy",
      language: "fr",
      timeZone: "America/Toronto",
      country: "CA",
    },
    { key: "member", name: "Mia Member", language: "en", country: "MX" },
    { key: "outsider", name: "Otto Outsider", language: "en", country: "CA" },
  ],
  groups: [
    {
      code: "TIIWG",
      names: {
        en: "Trade, Investment and Innovation",
        es: "Comercio, Inversión e Innovación",
        fr: "Commerce, investissement et innovation",
      },
      timeZone: "America/Mexico_City",
      languages: ["en", "es"],
      visibility: "partnership",
      confirmationsRequired: 2,
      coChairs: [
        { person: "sara", country: "CA", sector: "public" },
        { person: "salvador", country: "MX", sector: "public" },
        { person: "chantal", country: "CA", sector: "private" },
      ],
      members: [{ person: "member", country: "MX" }],
      channels: [{ platform: "console", id: "tiiwg" }],
      commitments: [],
      decisions: [],
      meetings: [],
    },
    {
      code: "LMWG",
      names: { en: "Labour Mobility", es: "Movilidad Laboral", fr: "Mobilité de la main-d’œuvre" },
      timeZone: "America/Toronto",
      languages: ["en", "es"],
      visibility: "restricted",
      confirmationsRequired: 1,
      coChairs: [{ person: "sara", country: "CA", sector: "public" }],
      members: [],
      channels: [{ platform: "console", id: "lmwg" }],
      commitments: [
        {
          title: "NOC–SINCO equivalences feedback",
          due: "2018-Q1",
          status: "introduction",
          owners: [],
          milestones: [],
        },
      ],
      decisions: [],
      meetings: [],
    },
  ],
};

export interface Harness {
  app: App;
  clock: ReturnType<typeof fakeClock>;
  dir: string;
  /** Runs a command as a person (a key from the import), returning the routed reply. */
  run(
    person: string,
    text: string,
    options?: {
      channel?: string;
      locale?: string;
      requestKey?: string;
      mentions?: Mention[];
      platform?: Platform;
      language?: Language;
    },
  ): Promise<RoutedReply>;
  /** The same, rendered as the console shows it. */
  say(person: string, text: string, options?: Parameters<Harness["run"]>[2]): Promise<string>;
  count(
    table: "commitments" | "decisions" | "audit_log" | "meetings" | "commitment_updates",
  ): Promise<number>;
  /** Audit rows of changes made, leaving out the rows that record refused attempts. */
  changes(): Promise<number>;
  close(): Promise<void>;
}

export function textOf(reply: RoutedReply): string {
  if (reply.kind === "form") return reply.form.title;
  return renderText(reply.doc);
}

export async function createHarness(
  options: { now?: string; data?: ImportFile; overdueReminders?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "cmp-test-"));
  const clock = fakeClock(options.now ?? "2026-11-20T15:00:00Z");
  const app = await createApp({
    databaseUrl: join(dir, "cmp.db"),
    logger: pino({ level: "silent" }),
    clock,
    overdueReminders: options.overdueReminders,
  });
  const now = clock.now();
  await importData(
    app.store,
    options.data ?? SMALL_PARTNERSHIP,
    await systemActor(app.store, now.toISOString()),
    now,
  );
  // Console identities for every imported person, as the console links its speaker.
  for (const p of (options.data ?? SMALL_PARTNERSHIP).people) {
    const person = await app.store.people.byHandle(p.key);
    if (person) await app.store.people.linkIdentity(person.id, "console", p.key);
  }
  const names = new Map((options.data ?? SMALL_PARTNERSHIP).people.map((p) => [p.key, p.name]));
  const run: Harness["run"] = async (person, text, opts = {}) => {
    const invocation: Invocation = {
      platform: opts.platform ?? "console",
      text,
      actor: {
        userId: person,
        displayName: names.get(person) ?? person,
        locale: opts.locale ?? null,
      },
      channelId: opts.channel ?? null,
      mentions: opts.mentions,
      requestKey: opts.requestKey,
      language: opts.language,
    };
    return app.router.handle(invocation);
  };
  return {
    app,
    clock,
    dir,
    run,
    say: async (person, text, opts) => textOf(await run(person, text, opts)),
    async count(table) {
      const row = await app.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async changes() {
      const row = await app.database.db
        .selectFrom("audit_log")
        .where("action", "!=", "refused")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
