import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../support/fake-slack.js";
import { allText } from "./blocks.js";
import { fixture, type Rig, startRig } from "./rig.js";

// The App Home tab through the real Bolt app: Slack sends app_home_opened (shape as Slack
// documents it: user, channel of the app's DM, tab "home"), the bot publishes the person's page.

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(() => rig.close());

function homeOpened(user: string, eventId: string, tab = "home") {
  const body = fixture<Record<string, unknown>>("event-callback-app-mention.bolt-python.json");
  return {
    ...body,
    event_id: eventId,
    event: {
      type: "app_home_opened",
      user,
      channel: `D${user}`,
      tab,
      event_ts: "1767310000.000300",
    },
  };
}

async function published(user: string) {
  const call = await rig.fake.waitFor<RecordedCall>(
    "call",
    (c) => c.method === "views.publish" && c.args.user_id === user,
  );
  return call.args as { user_id: string; view: { type: string; blocks: unknown[] } };
}

describe("the Slack App Home tab", () => {
  it("publishes a member's own page: what they owe, overdue first, with buttons", async () => {
    await rig.h.say("sara", "add TIIWG Late report due 2026-10-31 owner @member", {
      mentions: [{ token: "@member", userId: "member", displayName: "Mia Member" }],
    });
    await rig.event(homeOpened(rig.userId("member"), "Ev0HOME1"));
    const { view } = await published(rig.userId("member"));
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = allText(view.blocks);
    expect(text).toContain("My CMP — Mia Member");
    expect(text).toContain("TIIWG-1 · Late report");
    expect(text).toContain("OVERDUE");
    expect(JSON.stringify(view.blocks)).toContain('"action_id":"item.done"');
  });

  it("publishes the Mexican co-chair's page in Spanish, with the decision waiting for Mexico", async () => {
    await rig.h.say("sara", "decide TIIWG Share the roadmap draft");
    await rig.event(homeOpened(rig.userId("salvador"), "Ev0HOME2"));
    const text = allText((await published(rig.userId("salvador"))).view.blocks);
    expect(text).toContain("Mi CMP — Salvador Behar");
    expect(text).toContain("TIIWG-D1 · Share the roadmap draft");
    expect(text).toContain("Propuesta, falta México");
  });

  it("publishes nothing when the Messages tab is opened", async () => {
    await rig.event(homeOpened(rig.userId("sara"), "Ev0HOME3", "messages"));
    await rig.event(homeOpened(rig.userId("chantal"), "Ev0HOME4"));
    await published(rig.userId("chantal"));
    expect(rig.fake.callsTo("views.publish").map((c) => c.args.user_id)).toEqual([
      rig.userId("chantal"),
    ]);
  });
});
