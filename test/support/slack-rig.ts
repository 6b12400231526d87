import { readFileSync } from "node:fs";
import { parse as parseQuery, stringify } from "node:querystring";
import { Writable } from "node:stream";
import pino from "pino";
import { createSlackAdapter, type SlackAdapter } from "../../src/adapters/slack/slack.adapter.js";
import { SLACK_EVENTS_PATH } from "../../src/adapters/slack/surface.js";
import type { SlackConfig } from "../../src/config.js";
import { createHttpServer, type HttpServer } from "../../src/http/server.js";
import { type FakeSlack, type FakeUser, slackSignature, startFakeSlack } from "./fake-slack.js";
import { createHarness, type Harness } from "./harness.js";

// The real Bolt app behind our one HTTP server, a fake Slack on loopback, and the small
// partnership with Slack identities, so tests send what Slack sends and read what Slack gets.

const FIXTURES = new URL("../fixtures/slack/", import.meta.url).pathname;
export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

/** Slack users of the small partnership, with the locale and zone Slack would report. */
export const SLACK_USERS: (FakeUser & { key: string })[] = [
  { key: "admin", id: "U0ADMIN", name: "admin", displayName: "Secretariat Admin", locale: "en-US" },
  { key: "sara", id: "U0SARA", name: "sara.wilshaw", displayName: "Sara Wilshaw", locale: "en-US" },
  {
    key: "salvador",
    id: "U0SALVADOR",
    name: "salvador.behar",
    displayName: "Salvador Behar",
    locale: "es-LA",
    tz: "America/Mexico_City",
  },
  {
    key: "chantal",
    id: "U0CHANTAL",
    name: "chantal.roy",
    displayName: "Chantal Roy",
    locale: "fr-CA",
  },
  { key: "member", id: "U0MEMBER", name: "mia", displayName: "Mia Member", locale: "en-US" },
  {
    key: "outsider",
    id: "U0OUTSIDER",
    name: "otto",
    displayName: "Otto Outsider",
    locale: "en-US",
  },
];

export const TIIWG_CHANNEL = "C0TIIWG";

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface Rig {
  h: Harness;
  fake: FakeSlack;
  http: HttpServer;
  adapter: SlackAdapter;
  base: string;
  logs: LogLine[];
  userId(key: string): string;
  /** Signs and posts a raw body to /slack/events; `sign: false` sends it unsigned. */
  post(
    body: string,
    options?: {
      contentType?: string;
      timestamp?: number;
      signature?: string;
      sign?: boolean;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  command(
    user: string,
    text: string,
    options?: { channel?: string; triggerId?: string },
  ): Promise<Response>;
  interactive(payload: object): Promise<Response>;
  event(body: object, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

let triggers = 0;
export function newTriggerId(): string {
  triggers += 1;
  return `${1000 + triggers}.${Date.now()}.t${triggers}`;
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, "utf8")) as T;
}

export async function startRig(
  options: {
    config?: Partial<SlackConfig>;
    timeoutMs?: number;
    answering?: { ackBudgetMs: number; busyAfterMs: number };
    /** Runs once the fake Slack is up, before the adapter starts (e.g. a Socket Mode server). */
    beforeStart?: (fake: FakeSlack) => Promise<void>;
  } = {},
): Promise<Rig> {
  const h = await createHarness();
  const fake = await startFakeSlack({ users: SLACK_USERS });
  await options.beforeStart?.(fake);
  for (const u of SLACK_USERS) {
    const person = await h.app.store.people.byHandle(u.key);
    if (person) await h.app.store.people.linkIdentity(person.id, "slack", u.id);
  }
  const tiiwg = await h.app.store.groups.byCode("TIIWG");
  if (tiiwg)
    await h.app.store.groups.bindChannel(
      { groupId: tiiwg.id, platform: "slack", channelId: TIIWG_CHANNEL },
      h.clock.now().toISOString(),
    );
  const logs: LogLine[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    }),
  );
  const http = createHttpServer(logger);
  const adapter = await createSlackAdapter({
    router: h.app.router,
    i18n: h.app.i18n,
    metrics: h.app.metrics,
    queue: h.app.queue,
    config: {
      botToken: fake.token,
      signingSecret: SIGNING_SECRET,
      appToken: null,
      apiUrl: fake.apiUrl,
      responseUrlHosts: ["hooks.slack.com", new URL(fake.url).host],
      ...options.config,
    },
    http,
    logger,
    bot: { botId: "BBOT", botUserId: "UBOT" },
    // Replies through response_url, where the tests read them; answering.test.ts covers the ack.
    answering: options.answering ?? { ackBudgetMs: 0, busyAfterMs: 60_000 },
    homeRefreshMs: 50,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  await adapter.start();
  const base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  const userId = (key: string) => {
    const u = SLACK_USERS.find((s) => s.key === key);
    if (!u) throw new Error(`no Slack user ${key}`);
    return u.id;
  };

  const post: Rig["post"] = (body, o = {}) => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": o.contentType ?? "application/x-www-form-urlencoded",
      ...o.headers,
    };
    if (o.sign !== false) {
      headers["x-slack-request-timestamp"] = String(timestamp);
      headers["x-slack-signature"] = o.signature ?? slackSignature(SIGNING_SECRET, timestamp, body);
    }
    return fetch(`${base}${SLACK_EVENTS_PATH}`, { method: "POST", headers, body });
  };

  const slashTemplate = parseQuery(
    readFileSync(`${FIXTURES}slash-command.bolt-python.form.txt`, "utf8").trim(),
  );

  return {
    h,
    fake,
    http,
    adapter,
    base,
    logs,
    userId,
    post,
    command(user, text, o = {}) {
      const trigger = o.triggerId ?? newTriggerId();
      const u = SLACK_USERS.find((s) => s.key === user);
      const body = stringify({
        ...slashTemplate,
        command: "/cmp",
        text,
        user_id: u?.id ?? user,
        user_name: u?.name ?? user,
        channel_id: o.channel ?? TIIWG_CHANNEL,
        channel_name: "tiiwg",
        trigger_id: trigger,
        response_url: fake.responseUrl(trigger),
      });
      return post(body);
    },
    interactive(payload) {
      return post(stringify({ payload: JSON.stringify(payload) }));
    },
    event(body, headers) {
      return post(JSON.stringify(body), {
        contentType: "application/json",
        ...(headers ? { headers } : {}),
      });
    },
    async close() {
      await adapter.stop();
      await http.close();
      await fake.close();
      await h.close();
    },
  };
}

/** A message shortcut payload (from the recorded fixture) on a message in a channel. */
export function messageShortcut(
  rig: Rig,
  user: string,
  message: { text: string; user: string; ts: string },
  channel = TIIWG_CHANNEL,
) {
  const body = fixture("message-action.bolt-python.json");
  const trigger = newTriggerId();
  return {
    ...body,
    callback_id: "log_decision",
    trigger_id: trigger,
    user: { id: rig.userId(user), name: user },
    channel: { id: channel, name: "tiiwg" },
    message_ts: message.ts,
    message: {
      ...(body.message as object),
      text: message.text,
      user: message.user,
      ts: message.ts,
      blocks: [],
    },
    response_url: rig.fake.responseUrl(trigger),
  };
}

/** A button click (from the recorded block_actions fixture) on a message in a channel. */
export function buttonClick(
  rig: Rig,
  user: string,
  action: { id: string; value: string },
  channel = TIIWG_CHANNEL,
) {
  const body = fixture("block-actions.vercel-chat.json");
  const trigger = newTriggerId();
  return {
    ...body,
    trigger_id: trigger,
    user: { id: rig.userId(user), username: user, name: user, team_id: "T00FAKE00AA" },
    channel: { id: channel, name: "tiiwg" },
    container: { ...(body.container as object), channel_id: channel },
    actions: [
      {
        type: "button",
        block_id: "b1",
        action_id: action.id,
        value: action.value,
        text: { type: "plain_text", text: action.id, emoji: true },
        action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      },
    ],
    response_url: rig.fake.responseUrl(trigger),
  };
}

type ViewBlock = {
  block_id: string;
  element: { type: string; action_id: string; options?: { value: string }[] };
};

/** A view_submission (from the recorded fixture) of the modal we opened, with typed values. */
export function viewSubmission(
  rig: Rig,
  user: string,
  view: { blocks: ViewBlock[]; private_metadata: string; callback_id: string },
  values: Record<string, string | boolean>,
  viewId = "V0FORM1",
) {
  const body = fixture<Record<string, unknown> & { view: Record<string, unknown> }>(
    "view-submission.vercel-chat.json",
  );
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    const value = values[block.block_id];
    const el = block.element;
    if (el.type === "static_select")
      state[block.block_id] = {
        [el.action_id]: {
          type: "static_select",
          selected_option: value
            ? { value: String(value), text: { type: "plain_text", text: "x" } }
            : null,
        },
      };
    else if (el.type === "checkboxes")
      state[block.block_id] = {
        [el.action_id]: {
          type: "checkboxes",
          selected_options: value === true ? [{ value: "true" }] : [],
        },
      };
    else
      state[block.block_id] = {
        [el.action_id]: {
          type: "plain_text_input",
          value: value === undefined ? null : String(value),
        },
      };
  }
  return {
    ...body,
    user: { id: rig.userId(user), username: user, name: user, team_id: "T00FAKE00BB" },
    view: {
      ...body.view,
      id: viewId,
      callback_id: view.callback_id,
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      state: { values: state },
    },
  };
}
