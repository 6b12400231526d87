import { readFileSync } from "node:fs";
import { parse as parseQuery, stringify } from "node:querystring";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedCall, RecordedResponse } from "../../support/fake-slack.js";
import { testScheduler } from "../../support/scheduling.js";
import { allText } from "../../support/slack-blocks.js";
import { fixture, newTriggerId, type Rig, startRig } from "../../support/slack-rig.js";

// Slack Connect (issue 13): TIIWG's channel is shared between the Canadian workspace, where the
// bot is installed, and the Mexican one. People of the Mexican organisation carry their own team
// id, and users.info tells less about them (no locale, no time zone: `is_stranger`). Their
// commands, buttons, shortcuts and mentions are recognised by their user id, mapped to the
// imported person, and get that person's role; a reminder Slack will not let the bot send them
// privately goes to the shared channel. Payloads: test/fixtures/slack/*.slack-connect.*.

const SHARED = "C0SHARED";
const SALVADOR = "U0MXSALVADOR"; // Mexico's co-chair, of the other organisation
const STRANGER = "U0MXSTRANGER"; // of the other organisation, never imported
const FORM = new URL(
  "../../fixtures/slack/slash-command.slack-connect.slack-docs.form.txt",
  import.meta.url,
);

let rig: Rig;

beforeEach(async () => {
  rig = await startRig();
  const { h, fake } = rig;
  const db = h.app.database.db;
  // The group's one channel is the shared one; Salvador's account is his organisation's.
  await db.deleteFrom("channel_bindings").execute();
  const tiiwg = (await h.app.store.groups.byCode("TIIWG"))!;
  await h.app.store.groups.bindChannel(
    { groupId: tiiwg.id, platform: "slack", channelId: SHARED },
    h.clock.now().toISOString(),
  );
  const salvador = (await h.app.store.people.byHandle("salvador"))!;
  await db
    .deleteFrom("identities")
    .where("person_id", "=", salvador.id)
    .where("platform", "=", "slack")
    .execute();
  await h.app.store.people.linkIdentity(salvador.id, "slack", SALVADOR);
  // users.info about someone of the other organisation: a stranger, without locale or zone.
  const stranger = fixture<{ user: Record<string, unknown> }>(
    "users-info.slack-connect.slack-docs.json",
  );
  fake.on("users.info", (args, res) => {
    const id = String(args.user);
    if (!id.startsWith("U0MX")) return false;
    const name = id === SALVADOR ? "Salvador Behar" : "Some One";
    const user = { ...stranger.user, id, real_name: name, profile: { display_name: name } };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, user }));
    return true;
  });
  // Slack refuses the bot a conversation with a person outside its workspace.
  fake.on("conversations.open", (args, res) => {
    if (!String(args.users).startsWith("U0MX")) return false;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: false, error: "user_not_found" }));
    return true;
  });
});
afterEach(() => rig.close());

/** The documented slash command, from someone of the other organisation. */
async function command(user: string, text: string): Promise<string> {
  const trigger = newTriggerId();
  const form = parseQuery(readFileSync(FORM, "utf8").trim());
  const body = { ...form, user_id: user, text, trigger_id: trigger };
  await rig.post(stringify({ ...body, response_url: rig.fake.responseUrl(trigger) }));
  const answer = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === trigger);
  return allText(answer.body.blocks);
}

/** A documented interactivity payload, from `user`, with a fresh trigger and response_url. */
function interaction(name: string, user: string, extra: (body: Record<string, unknown>) => object) {
  const body = fixture<Record<string, unknown>>(name);
  const trigger = newTriggerId();
  const payload = {
    ...body,
    user: { ...(body.user as object), id: user },
    trigger_id: trigger,
    response_url: rig.fake.responseUrl(trigger),
    ...extra(body),
  };
  return { payload, trigger };
}

const click = (user: string, value: string) =>
  interaction("block-actions.slack-connect.slack-docs.json", user, (body) => ({
    actions: [{ ...(body.actions as object[])[0], value }],
  }));

const shortcut = (user: string) =>
  interaction("message-action.slack-connect.slack-docs.json", user, () => ({}));

async function decision(): Promise<string> {
  const said = await rig.h.say("sara", "decide TIIWG Share the export guide with both ministries");
  return /TIIWG-D\d+/.exec(said)?.[0] as string;
}

async function status(ref: string) {
  const group = (await rig.h.app.store.groups.byCode("TIIWG"))!;
  return (await rig.h.app.store.decisions.byNumber(group.id, Number(ref.split("-D")[1])))?.status;
}

describe("people of the other organisation in a Slack Connect channel", () => {
  it("are recognised by their user id and get their role: a co-chair confirms by command and by button", async () => {
    const first = await decision();
    // users.info gave no locale: the reply is in the language the tracker knows for him.
    expect(await command(SALVADOR, `confirmar ${first}`)).toContain(`${first} quedó confirmada.`);
    expect(await status(first)).toBe("confirmed");

    const second = await decision();
    const pressed = click(SALVADOR, second);
    await rig.interactive(pressed.payload);
    await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === pressed.trigger);
    expect(await status(second)).toBe("confirmed");
  });

  it("someone of the other organisation the tracker does not know gets no role", async () => {
    const ref = await decision();
    expect(await command(STRANGER, `confirm ${ref}`)).toContain("Only the co-chairs of TIIWG");
    const pressed = click(STRANGER, ref);
    await rig.interactive(pressed.payload);
    await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === pressed.trigger);
    expect(await status(ref)).toBe("proposed");
  });

  it("a co-chair's shortcut opens the decision form; a stranger's is refused", async () => {
    const mine = shortcut(SALVADOR);
    await rig.interactive(mine.payload);
    await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "views.open" && c.args.trigger_id === mine.trigger,
    );
    const theirs = shortcut(STRANGER);
    await rig.interactive(theirs.payload);
    const refusal = await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => r.id === theirs.trigger,
    );
    expect(allText(refusal.body.blocks)).toMatch(/co-chairs|copresidencia/);
    expect(
      rig.fake.callsTo("views.open").filter((c) => c.args.trigger_id === theirs.trigger),
    ).toHaveLength(0);
  });

  it("a mention in the shared channel is answered there, in the thread", async () => {
    const body = fixture<{ event: Record<string, unknown> }>(
      "event-callback-app-mention.slack-connect.slack-docs.json",
    );
    await rig.event({
      ...body,
      event: { ...body.event, user: SALVADOR, text: "<@UBOT> estado TIIWG" },
    });
    const posted = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.channel === SHARED,
    );
    expect(posted.args.thread_ts).toBe(body.event.ts);
    expect(allText(posted.args.blocks)).toContain("TIIWG");
  });

  it("a reminder the bot cannot send him privately goes to the shared channel, once", async () => {
    const h = rig.h;
    await h.say("sara", "add TIIWG Export guide due 2026-11-27 owner @salvador");
    const scheduler = testScheduler(h.app, h.clock, [rig.adapter.notifier]);
    // Friday 20 November, 09:00 in Mexico City: the reminder 7 days before is owed.
    h.clock.set("2026-11-20T15:01:00Z");
    await scheduler.tick();
    await scheduler.tick();
    h.clock.set("2026-11-20T15:05:00Z");
    await scheduler.tick();
    const inChannel = rig.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === SHARED && allText(c.args.blocks).includes("Export guide"));
    expect(inChannel).toHaveLength(1);
    const text = allText(inChannel[0]?.args.blocks);
    expect(text).toContain("Para Salvador Behar, a quien el bot no puede escribir en privado:");
    expect(text).toContain("Recordatorio");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    const ledger = await h.app.store.schedule.deliveries(group.id, {
      from: "2026-11-20T00:00:00Z",
      to: "2026-11-21T00:00:00Z",
    });
    const direct = ledger.find((d) => d.kind === "reminder" && d.target?.kind === "direct");
    expect(direct?.status).toBe("failed");
    expect(direct?.lastError).toContain("posted to the channel instead");
  });
});
