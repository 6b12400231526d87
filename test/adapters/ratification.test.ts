import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScheduler } from "../../src/scheduler/runner.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { messageShortcut, type Rig, startRig, TIIWG_CHANNEL, viewSubmission } from "./slack/rig.js";
import {
  CHANNEL,
  channelMessage,
  type FakeConnector,
  linkTeamsAccounts,
  personalMessage,
  startFakeConnector,
  startTeamsBot,
  type TeamsBot,
  textOfCall,
} from "./teams/support.js";

// TIIWG works in a Slack channel (Canada's side) and a Teams channel (Mexico's side), one
// tracker behind both. Sara logs a decision from a Slack message; Salvador, the Mexican
// co-chair, is nudged privately and confirms from Teams; the scheduler then says "Ratified by
// Canada and Mexico" in the decision's Slack thread and in the Teams channel, each in its form.

let slack: Rig;
let connector: FakeConnector;
let teams: TeamsBot;

beforeEach(async () => {
  slack = await startRig();
  await linkTeamsAccounts(slack.h);
  connector = await startFakeConnector();
  teams = await startTeamsBot(slack.h);
});
afterEach(async () => {
  await teams.close();
  await connector.close();
  await slack.close();
});

function scheduler() {
  return createScheduler({
    store: slack.h.app.store,
    i18n: slack.h.app.i18n,
    clock: slack.h.clock,
    logger: pino({ level: "silent" }),
    notifiers: [slack.adapter.notifier, teams.teams.notifier],
    graceMs: 24 * 3_600_000,
    sleep: async (ms) => slack.h.clock.advance(ms),
  });
}

describe("a decision ratified across Slack and Teams", () => {
  it("nudges the missing side, takes its confirmation from Teams, and announces it on both", async () => {
    // The Teams channel is TIIWG's too; binding it stores the conversation to post into.
    await teams.post(channelMessage(connector, "admin", "bind TIIWG"));
    // Salvador has spoken to the bot in a personal chat on Teams.
    await teams.post(personalMessage(connector, "salvador", "ayuda", { lang: "es" }));

    const said = { user: "U0SARA", ts: "1767300000.000100" };
    const shortcut = messageShortcut(slack, "sara", { ...said, text: "We agree on the roadmap" });
    await slack.interactive(shortcut);
    const open = await slack.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "views.open" && c.args.trigger_id === shortcut.trigger_id,
    );
    await slack.interactive(
      viewSubmission(slack, "sara", open.args.view as never, {
        group: "TIIWG",
        text: "We agree on the roadmap",
      }),
    );
    await slack.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.thread_ts === said.ts,
    );

    // Friday 09:00 in Mexico City: Salvador's working hours. His first account is on Slack.
    slack.h.clock.advance(60_000);
    await scheduler().tick();
    const nudge = slack.fake
      .callsTo("chat.postMessage")
      .find((c) => JSON.stringify(c.args).includes("necesita la confirmación de México"));
    expect(nudge).toBeDefined();
    expect(JSON.stringify(nudge?.args.blocks)).toContain('"action_id":"decision.confirm"');

    // He confirms from Teams, in his personal chat.
    await teams.post(personalMessage(connector, "salvador", "confirmar TIIWG-D1", { lang: "es" }));
    const decision = await slack.h.app.store.decisions.byNumber(
      (await slack.h.app.store.groups.byCode("TIIWG"))!.id,
      1,
    );
    expect(decision?.status).toBe("confirmed");

    slack.h.clock.advance(60_000);
    const before = connector.posts().length;
    await scheduler().tick();
    const inThread = slack.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === TIIWG_CHANNEL && c.args.thread_ts === said.ts);
    expect(JSON.stringify(inThread.at(-1)?.args.blocks)).toContain(
      "Ratified by Canada and Mexico: TIIWG-D1.",
    );
    expect(JSON.stringify(inThread.at(-1)?.args.blocks)).toContain(
      "Ratificada por Canadá y México: TIIWG-D1.",
    );
    const teamsPost = connector
      .posts()
      .slice(before)
      .find((p) => p.path.includes(CHANNEL));
    expect(teamsPost).toBeDefined();
    expect(textOfCall(teamsPost!)).toContain("Ratified by Canada and Mexico: TIIWG-D1.");

    // Once only: another tick posts nothing more.
    const slackPosts = slack.fake.callsTo("chat.postMessage").length;
    const teamsPosts = connector.posts().length;
    slack.h.clock.advance(60_000);
    await scheduler().tick();
    expect(slack.fake.callsTo("chat.postMessage")).toHaveLength(slackPosts);
    expect(connector.posts()).toHaveLength(teamsPosts);
  });
});
