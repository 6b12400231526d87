import { describe, expect, it } from "vitest";
import type { RecordedCall } from "../support/fake-slack.js";
import { messageShortcut, TIIWG_CHANNEL, viewSubmission } from "../support/slack-rig.js";
import { CHANNEL, channelMessage, personalMessage, textOfCall } from "../support/teams-rig.js";
import { useBothPlatforms } from "./both-platforms.js";

// TIIWG works in a Slack channel (Canada's side) and a Teams channel (Mexico's side), one
// tracker behind both. Sara logs a decision from a Slack message; Salvador, the Mexican
// co-chair, is nudged privately and confirms from Teams; the scheduler then says "Ratified by
// Canada and Mexico" in the decision's Slack thread and in the Teams channel, each in its form.

const both = useBothPlatforms();

describe("a decision ratified across Slack and Teams", () => {
  it("nudges the missing side, takes its confirmation from Teams, and announces it on both", async () => {
    // The Teams channel is TIIWG's too; binding it stores the conversation to post into.
    await both.teams.post(channelMessage(both.connector, "admin", "bind TIIWG"));
    // Salvador has spoken to the bot in a personal chat on Teams.
    await both.teams.post(personalMessage(both.connector, "salvador", "ayuda", { lang: "es" }));

    const said = { user: "U0SARA", ts: "1767300000.000100" };
    const shortcut = messageShortcut(both.slack, "sara", {
      ...said,
      text: "We agree on the roadmap",
    });
    await both.slack.interactive(shortcut);
    const open = await both.slack.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "views.open" && c.args.trigger_id === shortcut.trigger_id,
    );
    await both.slack.interactive(
      viewSubmission(both.slack, "sara", open.args.view as never, {
        group: "TIIWG",
        text: "We agree on the roadmap",
      }),
    );
    await both.slack.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.thread_ts === said.ts,
    );

    // Friday 09:00 in Mexico City: Salvador's working hours. His first account is on Slack.
    both.slack.h.clock.advance(60_000);
    await both.scheduler().tick();
    const nudge = both.slack.fake
      .callsTo("chat.postMessage")
      .find((c) => JSON.stringify(c.args).includes("necesita la confirmación de México"));
    expect(nudge).toBeDefined();
    expect(JSON.stringify(nudge?.args.blocks)).toContain('"action_id":"decision.confirm"');

    // He confirms from Teams, in his personal chat.
    await both.teams.post(
      personalMessage(both.connector, "salvador", "confirmar TIIWG-D1", { lang: "es" }),
    );
    const decision = await both.slack.h.app.store.decisions.byNumber(
      (await both.slack.h.app.store.groups.byCode("TIIWG"))!.id,
      1,
    );
    expect(decision?.status).toBe("confirmed");

    both.slack.h.clock.advance(60_000);
    const before = both.connector.posts().length;
    await both.scheduler().tick();
    const inThread = both.slack.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === TIIWG_CHANNEL && c.args.thread_ts === said.ts);
    expect(JSON.stringify(inThread.at(-1)?.args.blocks)).toContain(
      "Ratified by Canada and Mexico: TIIWG-D1.",
    );
    expect(JSON.stringify(inThread.at(-1)?.args.blocks)).toContain(
      "Ratificada por Canadá y México: TIIWG-D1.",
    );
    const teamsPost = both.connector
      .posts()
      .slice(before)
      .find((p) => p.path.includes(CHANNEL));
    expect(teamsPost).toBeDefined();
    expect(textOfCall(teamsPost!)).toContain("Ratified by Canada and Mexico: TIIWG-D1.");

    // Once only: another tick posts nothing more.
    const slackPosts = both.slack.fake.callsTo("chat.postMessage").length;
    const teamsPosts = both.connector.posts().length;
    both.slack.h.clock.advance(60_000);
    await both.scheduler().tick();
    expect(both.slack.fake.callsTo("chat.postMessage")).toHaveLength(slackPosts);
    expect(both.connector.posts()).toHaveLength(teamsPosts);

    // Monday 09:00 in Mexico City: the weekly digest, with the week's decision, reaches both
    // channels, as Block Kit on Slack and as a card on Teams, top-level in each.
    both.slack.h.clock.set("2026-11-23T15:01:00Z");
    await both.scheduler().tick();
    const slackDigest = both.slack.fake
      .callsTo("chat.postMessage")
      .slice(slackPosts)
      .find(
        (c) => c.args.channel === TIIWG_CHANNEL && JSON.stringify(c.args).includes("Weekly digest"),
      );
    expect(slackDigest?.args.thread_ts).toBeUndefined();
    expect(JSON.stringify(slackDigest?.args.blocks)).toContain("TIIWG-D1");
    const teamsDigest = both.connector
      .posts()
      .slice(teamsPosts)
      .find((p) => p.path === `/v3/conversations/${CHANNEL}/activities`);
    expect(textOfCall(teamsDigest!)).toContain("Weekly digest");
    expect(textOfCall(teamsDigest!)).toContain("TIIWG-D1");
  });
});
