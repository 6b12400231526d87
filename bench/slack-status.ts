// `/cmp status` through the real Bolt app over signed HTTP, against a baseline Bolt app that
// only acknowledges, both measured in the same run, at growing numbers of commitments in the
// group. Loopback only (a fake Slack Web API on 127.0.0.1); bounded in time.
//
//   npx tsx bench/slack-status.ts        (or: npm run bench:slack)

import { stringify } from "node:querystring";
import { App as BoltApp, HTTPReceiver } from "@slack/bolt";
import pino from "pino";
import {
  createSlackAdapter,
  requestTimestampProblem,
  SLACK_EVENTS_PATH,
} from "../src/adapters/slack/slack.adapter.js";
import { parseTimeline } from "../src/core/tracker/timeline.js";
import { createHttpServer, type HttpServer } from "../src/http/server.js";
import { type FakeSlack, slackSignature, startFakeSlack } from "../test/support/fake-slack.js";
import { createHarness, type Harness } from "../test/support/harness.js";

const SIZES = [100, 1_000, 10_000];
const SECRET = "bench-signing-secret";
const CHANNEL = "C0BENCH";
const USER = "U0SARA";
/** Per variant and size: stop after this many timed requests or this long, whichever first. */
const MAX_RUNS = 60;
const MAX_MS = 4_000;
const WARMUP = 3;

const silent = pino({ level: "silent" });

function signedCommand(text: string, trigger: string, responseUrl: string) {
  const body = stringify({
    command: "/cmp",
    text,
    user_id: USER,
    user_name: "sara",
    channel_id: CHANNEL,
    team_id: "T1",
    trigger_id: trigger,
    response_url: responseUrl,
  });
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": slackSignature(SECRET, ts, body),
    },
  };
}

async function seed(h: Harness, count: number): Promise<void> {
  const group = await h.app.store.groups.byCode("TIIWG");
  if (!group) throw new Error("TIIWG missing");
  const sara = await h.app.store.people.byHandle("sara");
  if (sara) await h.app.store.people.linkIdentity(sara.id, "slack", USER);
  await h.app.store.groups.bindChannel(
    { groupId: group.id, platform: "slack", channelId: CHANNEL },
    h.clock.now().toISOString(),
  );
  const at = h.clock.now().toISOString();
  const now = h.clock.now().getTime();
  await h.app.store.transaction(async (tx) => {
    for (let i = 0; i < count; i += 1) {
      // A third overdue, a third due within two weeks, a third later.
      const offsetDays =
        i % 3 === 0 ? -(1 + (i % 40)) : i % 3 === 1 ? 1 + (i % 12) : 30 + (i % 300);
      const due = new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
      const parsed = parseTimeline(due, { referenceDate: at.slice(0, 10) });
      await tx.commitments.create({
        groupId: group.id,
        title: `Commitment ${i + 1} of the trade working group`,
        description: null,
        status: i % 5 === 0 ? "formalization" : "in_progress",
        timeline: parsed.ok ? parsed.timeline : null,
        dueAt: `${due}T23:59:59.999Z`,
        closedAt: null,
        owners: [],
        comments: null,
        createdBy: null,
        at,
      });
    }
  });
}

async function measure(run: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < MAX_RUNS && performance.now() - started < MAX_MS) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
}

/** A Bolt app on the same kind of HTTP server that does nothing but acknowledge /cmp. */
async function startBaseline(): Promise<{ http: HttpServer; base: string }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: SLACK_EVENTS_PATH });
  const bolt = new BoltApp({
    token: "xoxb-baseline",
    botId: "B0",
    botUserId: "U0",
    receiver,
    logLevel: undefined,
  });
  bolt.command("/cmp", async ({ ack }) => {
    await ack();
  });
  const http = createHttpServer(silent);
  http.route("POST", SLACK_EVENTS_PATH, (req, res) => {
    // The same freshness check as ours, so the baseline pays the same per-request costs.
    if (requestTimestampProblem(req.headers["x-slack-request-timestamp"], Date.now())) {
      res.writeHead(401).end();
      return;
    }
    receiver.requestListener(req, res);
  });
  return { http, base: `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}` };
}

async function benchSize(count: number, fake: FakeSlack) {
  const h = await createHarness();
  await seed(h, count);
  // Started after seeding, so no idle keep-alive connection goes stale in between.
  const baselineServer = await startBaseline();
  const baselineBase = baselineServer.base;
  const http = createHttpServer(silent);
  await createSlackAdapter({
    app: h.app,
    config: {
      botToken: fake.token,
      signingSecret: SECRET,
      appToken: null,
      apiUrl: fake.apiUrl,
      responseUrlHosts: [new URL(fake.url).host],
    },
    http,
    logger: silent,
    bot: { botId: "BBOT", botUserId: "UBOT" },
  });
  const base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  let n = 0;

  const baseline = await measure(async () => {
    n += 1;
    const { body, headers } = signedCommand("status TIIWG", `b.${n}`, fake.responseUrl(`b${n}`));
    const res = await fetch(`${baselineBase}${SLACK_EVENTS_PATH}`, {
      method: "POST",
      headers,
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`baseline answered ${res.status}`);
  });

  // The core alone (router.handle), to tell the adapter's share from the tracker's.
  const core = await measure(async () => {
    n += 1;
    await h.app.router.handle({
      platform: "slack",
      text: "status TIIWG",
      actor: { userId: USER, displayName: "Sara Wilshaw", locale: "en-US" },
      channelId: CHANNEL,
      requestKey: `slack:cmd:c.${n}`,
    });
  });

  let blocks = 0;
  const ours = await measure(async () => {
    n += 1;
    const id = `s${count}-${n}`;
    const { body, headers } = signedCommand("status TIIWG", `s.${n}`, fake.responseUrl(id));
    const res = await fetch(`${base}${SLACK_EVENTS_PATH}`, { method: "POST", headers, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`slack adapter answered ${res.status}`);
    // Done when the whole answer has reached Slack (the last part names the next meeting).
    const last = await fake.waitFor<{ id: string; body: Record<string, unknown> }>(
      "response",
      (r) => r.id === id && JSON.stringify(r.body).includes("Next meeting"),
      10_000,
    );
    blocks = (last.body.blocks as unknown[]).length;
  });
  fake.reset();
  await baselineServer.http.close();
  await http.close();
  await h.close();
  return { count, baseline, core, ours, blocks };
}

async function main() {
  const fake = await startFakeSlack({
    users: [{ id: USER, name: "sara", displayName: "Sara Wilshaw", locale: "en-US" }],
  });
  console.log("/cmp status over signed HTTP: our full answer (ack + work + response_url post)");
  console.log("vs a Bolt app that only acknowledges, medians of up to 60 requests each.\n");
  console.log(
    "commitments | baseline ack ms | /cmp status ms (p95) | ratio to baseline | core alone ms | Slack share ms",
  );
  console.log(
    "----------- | --------------- | -------------------- | ----------------- | ------------- | --------------",
  );
  for (const size of SIZES) {
    const r = await benchSize(size, fake);
    const ratio = median(r.ours) / median(r.baseline);
    const cells = [
      String(r.count).padStart(11),
      median(r.baseline).toFixed(2).padStart(15),
      `${median(r.ours).toFixed(2)} (${p95(r.ours).toFixed(2)})`.padStart(20),
      `${ratio.toFixed(1)}×`.padStart(17),
      median(r.core).toFixed(2).padStart(13),
      (median(r.ours) - median(r.core)).toFixed(2).padStart(14),
    ];
    console.log(cells.join(" | "));
  }
  await fake.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
