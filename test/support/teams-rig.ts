import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createTeamsAdapter, type TeamsAdapter } from "../../src/adapters/teams/teams.adapter.js";
import type { TeamsConfig } from "../../src/config.js";
import { createDirectory } from "../../src/core/directory.js";
import { createHttpServer, type HttpServer } from "../../src/http/server.js";
import { createHarness, type Harness } from "./harness.js";

/** One request the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  /** Decoded path: botbuilder percent-encodes conversation and activity ids. */
  path: string;
  body: Record<string, unknown> | null;
  raw: string;
  at: number;
}

interface Scripted {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A fake of the remote Bot Connector (Teams' side of the Bot Framework) on loopback: records
 * every call, answers 200 with a new message id, or what a test scripted for the next matching
 * call. GET …/members/{id} answers from `members`.
 */
export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  members: Map<string, { id: string; name: string; aadObjectId?: string; tenantId?: string }>;
  /** The next `times` calls matching method and path get this answer instead. */
  script(answer: Scripted, times?: number): void;
  /** Files people attached in Teams, served at `${url}download/<name>` (OneDrive's role). */
  downloads: Map<string, Buffer>;
  /** Calls that posted or updated a message (not member look-ups). */
  posts(): ConnectorCall[];
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const scripted: Scripted[] = [];
  const members = new Map<
    string,
    { id: string; name: string; aadObjectId?: string; tenantId?: string }
  >();
  const downloads = new Map<string, Buffer>();
  let next = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
      const method = req.method ?? "GET";
      const json = req.headers["content-type"]?.includes("json") && raw ? JSON.parse(raw) : null;
      calls.push({ method, path, body: json, raw, at: Date.now() });
      const index = scripted.findIndex((s) => s.method === method && s.path.test(path));
      if (index !== -1) {
        const [answer] = scripted.splice(index, 1);
        res
          .writeHead(answer!.status, { "content-type": "application/json", ...answer!.headers })
          .end(JSON.stringify(answer!.body ?? {}));
        return;
      }
      const download = /^\/download\/(.+)$/.exec(path);
      if (method === "GET" && download) {
        const file = downloads.get(download[1] ?? "");
        res.writeHead(file ? 200 : 404, { "content-type": "application/octet-stream" }).end(file);
        return;
      }
      const member = /\/members\/(.+)$/.exec(path);
      if (method === "GET" && member) {
        const found = members.get(member[1] ?? "");
        res
          .writeHead(found ? 200 : 404, { "content-type": "application/json" })
          .end(JSON.stringify(found ?? { error: { code: "NotFound" } }));
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ id: `msg-${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    members,
    downloads,
    script(answer, times = 1) {
      for (let i = 0; i < times; i++) scripted.push(answer);
    },
    posts: () => calls.filter((c) => c.method !== "GET"),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form JSON that each test reshapes
export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/teams/${name}`, import.meta.url), "utf8"));
}

export const UNAUTHENTICATED: TeamsConfig = {
  appId: null,
  appPassword: null,
  tenantId: null,
  appType: "MultiTenant",
  allowUnauthenticated: true,
};

export interface TeamsBot {
  url: string;
  teams: TeamsAdapter;
  http: HttpServer;
  /** POSTs an activity to /api/messages the way the Bot Connector does. */
  post(activity: object, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** The real adapter on our real HTTP server, on a free loopback port. */
export async function startTeamsBot(
  h: Harness,
  settings: TeamsConfig = UNAUTHENTICATED,
  retries?: Parameters<typeof createTeamsAdapter>[0]["retries"],
): Promise<TeamsBot> {
  const logger = pino({ level: "silent" });
  const http = createHttpServer(logger);
  const teams = createTeamsAdapter({
    router: h.app.router,
    queue: h.app.queue,
    metrics: h.app.metrics,
    directory: createDirectory(h.app.store, "teams", h.app.clock),
    i18n: h.app.i18n,
    logger,
    settings,
    retries,
  });
  http.route("POST", "/api/messages", teams.handler);
  const port = await http.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}/api/messages`;
  return {
    url,
    teams,
    http,
    post: (activity, headers = {}) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(activity),
      }),
    close: () => http.close(),
  };
}

/** Teams accounts of the harness's people: AAD ids as an import would name them. */
export const ACCOUNTS = {
  admin: { id: "29:admin", name: "Secretariat Admin", aadObjectId: "aad-admin" },
  sara: { id: "29:sara", name: "Sara Wilshaw", aadObjectId: "aad-sara" },
  salvador: { id: "29:salvador", name: "Salvador Behar", aadObjectId: "aad-salvador" },
  chantal: { id: "29:chantal", name: "Chantal Roy", aadObjectId: "aad-chantal" },
  member: { id: "29:member", name: "Mia Member", aadObjectId: "aad-member" },
  outsider: { id: "29:outsider", name: "Otto Outsider", aadObjectId: "aad-outsider" },
} as const;

export type Who = keyof typeof ACCOUNTS;

/** Links every harness person to their Teams AAD id, so roles apply to Teams activities. */
export async function linkTeamsAccounts(h: Harness): Promise<void> {
  for (const [handle, account] of Object.entries(ACCOUNTS)) {
    const person = await h.app.store.people.byHandle(handle);
    if (person) await h.app.store.people.linkIdentity(person.id, "teams", account.aadObjectId);
  }
}

export const BOT = { id: "28:cmp-bot", name: "CMP" };
export const CHANNEL = "19:d441d38c655c47a085215b2726e76927@thread.tacv2";
const LOCALES = { en: "en-US", es: "es-MX", fr: "fr-CA" } as const;

let sequence = 0;
export const nextId = () => `1767${String(++sequence).padStart(9, "0")}`;

/**
 * A channel message addressed to the bot, shaped like the recorded channel activity: the text
 * begins with "<at>CMP</at>" and a mention entity names the bot.
 */
export function channelMessage(
  connector: FakeConnector,
  who: Who,
  command: string,
  options: { lang?: keyof typeof LOCALES; thread?: string; entities?: object[]; id?: string } = {},
): Record<string, unknown> {
  const base = fixture("message-card-action-submit.vercel-chat.json");
  const id = options.id ?? nextId();
  delete base.value;
  return {
    ...base,
    id,
    serviceUrl: connector.url,
    text: `<at>${BOT.name}</at> ${command}`,
    textFormat: "plain",
    locale: LOCALES[options.lang ?? "en"],
    localTimezone: options.lang === "es" ? "America/Mexico_City" : "America/Toronto",
    from: ACCOUNTS[who],
    recipient: BOT,
    conversation: { ...base.conversation, id: `${CHANNEL};messageid=${options.thread ?? id}` },
    entities: [
      { type: "mention", text: `<at>${BOT.name}</at>`, mentioned: BOT },
      ...(options.entities ?? []),
    ],
  };
}

/** A personal (1:1) chat message, shaped like the recorded DM. */
export function personalMessage(
  connector: FakeConnector,
  who: Who,
  text: string,
  options: { lang?: keyof typeof LOCALES } = {},
): Record<string, unknown> {
  const base = fixture("message-personal-dm.vercel-chat.json");
  return {
    ...base,
    id: nextId(),
    serviceUrl: connector.url,
    text,
    locale: LOCALES[options.lang ?? "en"],
    from: ACCOUNTS[who],
    recipient: BOT,
    conversation: { ...base.conversation, id: `a:personal-${who}` },
  };
}

/** An invoke from the same channel (card buttons, dialogs). */
export function channelInvoke(
  connector: FakeConnector,
  who: Who,
  name: string,
  value: unknown,
  options: { id?: string; replyToId?: string; lang?: keyof typeof LOCALES } = {},
): Record<string, unknown> {
  const base = fixture("message-card-action-submit.vercel-chat.json");
  return {
    ...base,
    type: "invoke",
    name,
    value,
    id: options.id ?? `f:${nextId()}`,
    serviceUrl: connector.url,
    locale: LOCALES[options.lang ?? "en"],
    from: ACCOUNTS[who],
    recipient: BOT,
    conversation: { ...base.conversation, id: `${CHANNEL};messageid=1767326091220` },
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  };
}

type CardJson = { body?: unknown[]; actions?: unknown[] };

/** Every TextRun text of a card, in order. */
export function runsOf(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "TextRun" && typeof n.text === "string") texts.push(n.text);
      for (const value of Object.values(n)) if (typeof value === "object") walk(value);
    }
  };
  walk((card as CardJson).body);
  return texts;
}

/** Every element of a type anywhere in a card. */
export function elementsOf(card: unknown, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === type) found.push(n);
      for (const value of Object.values(n)) if (typeof value === "object") walk(value);
    }
  };
  walk(card);
  return found;
}

/** The cards a posted activity carries. */
export function cardsOf(call: ConnectorCall): unknown[] {
  const attachments = (call.body?.attachments ?? []) as { contentType: string; content: unknown }[];
  return attachments
    .filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive")
    .map((a) => a.content);
}

export const textOfCall = (call: ConnectorCall) => cardsOf(call).flatMap(runsOf).join("\n");

/** A harness with the Teams accounts linked, a fake Bot Connector and the bot, for one test. */
export interface TeamsSuite {
  h: Harness;
  connector: FakeConnector;
  bot: TeamsBot;
}

export async function startTeamsSuite(): Promise<TeamsSuite> {
  const h = await createHarness();
  await linkTeamsAccounts(h);
  return { h, connector: await startFakeConnector(), bot: await startTeamsBot(h) };
}

export async function stopTeamsSuite(suite: TeamsSuite): Promise<void> {
  await suite.bot.close();
  await suite.connector.close();
  await suite.h.close();
}
