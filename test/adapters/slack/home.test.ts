import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../support/fake-slack.js";
import { allText } from "../../support/slack-blocks.js";
import {
  buttonClick,
  fixture,
  type Rig,
  startRig,
  viewSubmission,
} from "../../support/slack-rig.js";

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

  it("refreshes an open page when something it shows changes, once for a burst, and not otherwise", async () => {
    await rig.h.say("sara", "add TIIWG Late report due 2026-10-31 owner @member");
    await rig.event(homeOpened(rig.userId("member"), "Ev0HOME5"));
    expect(allText((await published(rig.userId("member"))).view.blocks)).toContain("Late report");
    const publishes = () =>
      rig.fake.callsTo("views.publish").filter((c) => c.args.user_id === rig.userId("member"));

    // Two changes in a burst (from the console): one refresh, without the item now done.
    await rig.h.say("sara", "done TIIWG-1");
    await rig.h.say("sara", "update TIIWG-1 note Filed");
    await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) =>
        c.method === "views.publish" &&
        !allText(c.args.blocks ?? (c.args.view as { blocks: unknown[] }).blocks).includes(
          "OVERDUE",
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publishes()).toHaveLength(2);
    expect(allText(publishes()[1]?.args.view)).toContain("now Done");

    // A change in a group she cannot see leaves her page as it was: nothing is published.
    await rig.h.say("admin", "add LMWG Quiet item due 2027-Q2 owner Service Canada (CA)");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publishes()).toHaveLength(2);
  });

  it("opens the settings form from the page and keeps what is chosen there", async () => {
    await rig.event(homeOpened(rig.userId("member"), "Ev0HOME6"));
    const { view } = await published(rig.userId("member"));
    expect(JSON.stringify(view.blocks)).toContain('"action_id":"me.settings"');
    const click = buttonClick(rig, "member", { id: "me.settings", value: "me" });
    await rig.interactive(click);
    const open = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "views.open" && c.args.trigger_id === click.trigger_id,
    );
    const submitted = await rig.interactive(
      viewSubmission(rig, "member", open.args.view as never, {
        reminders: "channel",
        language: "fr",
        zone: "America/Toronto",
      }),
    );
    expect(await submitted.json()).toEqual({ response_action: "clear" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rig.h.app.store.people.byHandle("member")).toMatchObject({
      language: "fr",
      timeZone: "America/Toronto",
      remindersVia: "channel",
    });
  });

  it("sends the page to the person's direct messages when Slack refuses to publish the Home tab", async () => {
    rig.fake.on("views.publish", (_args, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "not_enabled" }));
      return true;
    });
    await rig.event(homeOpened(rig.userId("chantal"), "Ev0HOME7"));
    const direct = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.channel === rig.userId("chantal"),
    );
    expect(allText(direct.args.blocks)).toContain("Mon CMP — Chantal Roy");
  });

  it("keeps a busy co-chair's page within Slack's 100 blocks", async () => {
    for (let i = 1; i <= 25; i++) {
      await rig.h.say(
        "sara",
        `add TIIWG Item ${i} due 2026-12-${String(i).padStart(2, "0")} owner @salvador`,
      );
      await rig.h.say("sara", `decide TIIWG Decision ${i}`);
    }
    for (let i = 1; i <= 6; i++)
      await rig.h.say("sara", `meeting TIIWG 2026-12-${10 + i} 10:00 Call ${i}`);
    await rig.event(homeOpened(rig.userId("salvador"), "Ev0HOME8"));
    const { view } = await published(rig.userId("salvador"));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = allText(view.blocks);
    expect(text).toContain("Mis compromisos abiertos (25)");
    expect(text).toContain("Qué cambió en mis grupos la última semana");
    expect(JSON.stringify(view.blocks)).toContain('"action_id":"me.settings"');
  });
});
