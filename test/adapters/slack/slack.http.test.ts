import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInert } from "../../../src/core/render/inert.js";
import type { RecordedCall, RecordedResponse } from "../../support/fake-slack.js";
import { slackSignature } from "../../support/fake-slack.js";
import { allText, buttonsOf, textObjects } from "../../support/slack-blocks.js";
import {
  buttonClick,
  fixture,
  messageShortcut,
  newTriggerId,
  type Rig,
  SIGNING_SECRET,
  startRig,
  TIIWG_CHANNEL,
  viewSubmission,
} from "../../support/slack-rig.js";

// The real Bolt app, behind our HTTP server, driven with signed requests shaped like Slack's
// (from the recorded fixtures) against a fake Slack Web API on loopback.

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

/** Sends /cmp and waits for its answer on the response_url. */
async function cmp(user: string, text: string, channel = TIIWG_CHANNEL) {
  const triggerId = newTriggerId();
  const res = await rig.command(user, text, { triggerId, channel });
  expect(res.status).toBe(200);
  const response = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
  return { ack: res, body: response.body, text: allText(response.body.blocks), triggerId };
}

async function tiiwgItem(number: number) {
  const group = await rig.h.app.store.groups.byCode("TIIWG");
  return rig.h.app.store.commitments.byNumber(group!.id, number);
}

/** Commitments of TIIWG (the small partnership also holds one in LMWG). */
async function tiiwgCount() {
  const group = await rig.h.app.store.groups.byCode("TIIWG");
  return (await rig.h.app.store.commitments.list({ groupIds: [group!.id] })).length;
}

async function openedView(triggerId: string) {
  const call = await rig.fake.waitFor<RecordedCall>(
    "call",
    (c) => c.method === "views.open" && c.args.trigger_id === triggerId,
  );
  // biome-ignore lint/suspicious/noExplicitAny: the view is checked field by field below
  return call.args.view as any;
}

describe("typed /cmp commands", () => {
  it("acknowledges at once and answers status in each person's Slack language, in the channel", async () => {
    const en = await cmp("sara", "status TIIWG");
    expect(await en.ack.text()).toBe("");
    expect(en.body.response_type).toBe("in_channel");
    expect(en.text).toContain("TIIWG — Trade, Investment and Innovation");

    // The channel is bound to TIIWG, so the group can be left out.
    const es = await cmp("salvador", "estado");
    expect(es.text).toContain("TIIWG — Comercio, Inversión e Innovación");
    const fr = await cmp("chantal", "statut");
    expect(fr.text).toContain("TIIWG — Commerce, investissement et innovation");

    // users.info was asked for the locale, once per person however many commands they type.
    await cmp("sara", "status");
    const lookups = rig.fake.callsTo("users.info").filter((c) => c.args.user === "U0SARA");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.args.include_locale).toBe("true");
  });

  it("adds, closes and decides in English, Spanish and French, with mentioned owners resolved", async () => {
    const added = await cmp(
      "sara",
      "add TIIWG Joint trade mission roadmap due 2027-Q1 owner COMCE (MX), <@U0MEMBER|mia>",
    );
    expect(added.body.response_type).toBe("in_channel");
    expect(added.text).toContain("Added TIIWG-1: Joint trade mission roadmap");
    const item = await tiiwgItem(1);
    expect(item?.owners.map((o) => (o.kind === "person" ? o.displayName : o.name))).toEqual([
      "COMCE",
      "Mia Member",
    ]);

    const agregado = await cmp("salvador", "agregar Hoja de ruta plazo 2027-Q2");
    expect(agregado.text).toContain("Se agregó TIIWG-2: Hoja de ruta");

    const fait = await cmp("chantal", "fait TIIWG-1");
    expect(fait.text).toContain("TIIWG-1 Joint trade mission roadmap\u202f:");
    expect((await tiiwgItem(1))?.status).toBe("done");

    const decidido = await cmp("salvador", "decidir Buscar la aprobación del borrador");
    expect(decidido.body.response_type).toBe("in_channel");
    expect(decidido.text).toContain("Decisión TIIWG-D1 registrada.");
    expect(buttonsOf(decidido.body.blocks)).toEqual([
      expect.objectContaining({ action_id: "decision.confirm", value: "TIIWG-D1" }),
    ]);
  });

  it("accepts every verb spelled in English, Spanish and French, answering in the speaker's language", async () => {
    await rig.h.run("sara", "add TIIWG Roadmap due 2027-Q1");
    await rig.h.run("sara", "add TIIWG Seminar due 2027-Q2");
    await rig.h.run("sara", "decide TIIWG Approve the draft terms of reference");
    const args: Record<string, string> = {
      help: "",
      status: "TIIWG",
      list: "TIIWG",
      show: "TIIWG-1",
      mine: "",
      add: "TIIWG Trade mission",
      update: "TIIWG-1 progress",
      done: "TIIWG-2",
      milestone: "TIIWG-1",
      decide: "TIIWG Seek approval",
      decisions: "TIIWG",
      confirm: "TIIWG-D1",
      meeting: "TIIWG 2027-03-15 10:00 Call",
      meetings: "TIIWG",
      lang: "",
      export: "TIIWG",
      bind: "TIIWG",
    };
    const speakers = { en: "sara", es: "salvador", fr: "chantal" } as const;
    const unknown = /I don't know the command|No conozco el comando|Je ne connais pas la commande/;
    for (const [lang, person] of Object.entries(speakers) as [keyof typeof speakers, string][]) {
      const l = rig.h.app.i18n.localizer(lang);
      const replies: Record<string, string> = {};
      for (const [verb, rest] of Object.entries(args)) {
        const spelling = l.t(`verbs:${verb}`).split(",")[0];
        const reply = await cmp(person, `${spelling} ${verb === "lang" ? lang : rest}`.trim());
        expect({ verb, lang, unknown: unknown.test(reply.text) }).toEqual({
          verb,
          lang,
          unknown: false,
        });
        replies[verb] = reply.text;
      }
      expect(replies.help).toContain(l.t("help:title"));
      const tiiwg = await rig.h.app.store.groups.byCode("TIIWG");
      expect(replies.status).toContain(`TIIWG — ${tiiwg?.names[lang]}`);
      expect(replies.bind).toContain(l.t("errors:admins_only"));
    }
  });

  it("keeps personal views and refusals to the person who asked", async () => {
    for (const text of ["mine", "help", "frobnicate", "done TIIWG-99"]) {
      const reply = await cmp("sara", text);
      expect({ text, type: reply.body.response_type }).toEqual({ text, type: "ephemeral" });
    }
    const unknown = await cmp("salvador", "frobnicate");
    expect(unknown.text).toContain("No conozco el comando «frobnicate»");
  });

  it("sends the tracker export as a file through the two-step upload, in the person's direct messages", async () => {
    await cmp("sara", "add TIIWG Roadmap due 2027-Q1");
    const reply = await cmp("sara", "export TIIWG");
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.text).toMatch(
      /^cmp-tracker-tiiwg-\d{4}-\d{2}-\d{2}\.csv is in your direct messages with me\.$/,
    );
    const [asked] = rig.fake.callsTo("files.getUploadURLExternal");
    const upload = rig.fake.uploads.get(
      String(asked?.args.file_id ?? [...rig.fake.uploads.keys()][0]),
    );
    expect(asked?.args.filename).toMatch(/^cmp-tracker-tiiwg-.*\.csv$/);
    expect(Number(asked?.args.length)).toBe(upload?.bytes?.length);
    expect(upload?.bytes?.toString("utf8")).toContain("TIIWG-1,TIIWG,Roadmap");
    const [completed] = rig.fake.callsTo("files.completeUploadExternal");
    expect(completed?.args.channel_id).toBe("DU0SARA");
    expect(completed?.args.initial_comment).toBe("Tracker export for TIIWG: 1 commitment.");
    expect(completed?.args.files).toEqual([{ id: upload?.fileId, title: upload?.filename }]);
    // Nothing but the note went to the channel.
    expect(rig.fake.history.get(TIIWG_CHANNEL) ?? []).toEqual([]);
  });

  it("says so when the upload fails, and shares nothing", async () => {
    await cmp("sara", "add TIIWG Roadmap due 2027-Q1");
    rig.fake.uploadStatus = 500;
    const reply = await cmp("salvador", "exportar TIIWG");
    expect(reply.text).toMatch(
      /^Slack no aceptó cmp-tracker-tiiwg-.*\.csv: no se compartió nada\./,
    );
    expect(rig.fake.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(rig.fake.callsTo("files.completeUploadExternal")).toEqual([]);
    expect(rig.fake.history.get("DU0SALVADOR") ?? []).toEqual([]);
  });

  it("binds a channel to a working group when the secretariat asks", async () => {
    const bound = await cmp("admin", "bind LMWG", "C0LMWG");
    expect(bound.body.response_type).toBe("in_channel");
    const group = await rig.h.app.store.groups.forChannel("slack", "C0LMWG");
    expect(group?.code).toBe("LMWG");
    const refused = await cmp("sara", "bind TIIWG", "C0OTHER");
    expect(refused.text).toContain("Only the secretariat can do that.");
  });
});

describe("modals", () => {
  it("/cmp add with no text opens the form with the channel's group, and a submission adds the item", async () => {
    const triggerId = newTriggerId();
    await rig.command("sara", "add", { triggerId });
    const view = await openedView(triggerId);
    expect(view.callback_id).toBe("cmp_form");
    expect(view.title.text).toBe("New commitment");
    const group = view.blocks.find((b: { block_id: string }) => b.block_id === "group");
    expect(group.element.initial_option.value).toBe("TIIWG");

    const res = await rig.interactive(
      viewSubmission(rig, "sara", view, {
        group: "TIIWG",
        title: "Investment promotion seminar",
        timeline: "June–December 2027",
        tentative: true,
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_action: "clear" });
    const post = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.channel === TIIWG_CHANNEL,
    );
    expect(allText(post.args.blocks)).toContain("Added TIIWG-1: Investment promotion seminar");
    const item = await tiiwgItem(1);
    expect(item?.timeline?.phases.every((p) => p.tentative)).toBe(true);
  });

  it("shows an impossible timeline under the timeline field, in the person's language, and accepts the fix", async () => {
    const triggerId = newTriggerId();
    await rig.command("salvador", "agregar", { triggerId });
    const view = await openedView(triggerId);
    expect(view.title.text).toBe("Nuevo compromiso");

    const values = { group: "TIIWG", title: "Hoja de ruta", timeline: "2027-02-30" };
    const refused = await rig.interactive(viewSubmission(rig, "salvador", view, values, "V0ADD"));
    const body = (await refused.json()) as {
      response_action: string;
      errors: Record<string, string>;
    };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual(["timeline"]);
    expect(body.errors.timeline).toContain("«2027-02-30» no es una fecha válida.");
    expect(body.errors.timeline).toContain("Ejemplo: 2018-T1");
    expect(await tiiwgCount()).toBe(0);

    // The same modal, corrected: the refused attempt claimed nothing.
    const fixed = await rig.interactive(
      viewSubmission(rig, "salvador", view, { ...values, timeline: "2027-02-28" }, "V0ADD"),
    );
    expect(await fixed.json()).toEqual({ response_action: "clear" });
    expect(await tiiwgCount()).toBe(1);

    // A replay of the accepted submission changes nothing more.
    await rig.interactive(
      viewSubmission(rig, "salvador", view, { ...values, timeline: "2027-02-28" }, "V0ADD"),
    );
    expect(await tiiwgCount()).toBe(1);
  });

  it("shows a too-long title under the title field", async () => {
    const triggerId = newTriggerId();
    await rig.command("chantal", "ajouter", { triggerId });
    const view = await openedView(triggerId);
    const res = await rig.interactive(
      viewSubmission(rig, "chantal", view, { group: "TIIWG", title: "t".repeat(201) }),
    );
    const body = (await res.json()) as { errors: Record<string, string> };
    expect(body.errors.title).toContain(
      "Le champ «\u202fTitre\u202f» est trop long\u202f: 201 caractères",
    );
  });
});

describe("Log as decision", () => {
  const said = { user: "U0SALVADOR", ts: "1767300000.000100" };

  it("opens a pre-filled modal, stores the decision with its source message, and confirms in the thread", async () => {
    const shortcut = messageShortcut(rig, "sara", {
      ...said,
      text: "Agreed: <@U0CHANTAL> drafts the terms &amp; conditions by the end of the year",
    });
    const ack = await rig.interactive(shortcut);
    expect(ack.status).toBe(200);
    const view = await openedView(shortcut.trigger_id);
    expect(view.title.text).toBe("Log a decision");
    const text = view.blocks.find((b: { block_id: string }) => b.block_id === "text");
    expect(text.element.initial_value).toBe(
      "Agreed: @Chantal_Roy drafts the terms & conditions by the end of the year",
    );
    expect(rig.fake.callsTo("chat.getPermalink")[0]?.args).toMatchObject({
      channel: TIIWG_CHANNEL,
      message_ts: said.ts,
    });

    const res = await rig.interactive(
      viewSubmission(rig, "sara", view, {
        group: "TIIWG",
        text: "Chantal drafts the terms & conditions by the end of the year",
      }),
    );
    expect(await res.json()).toEqual({ response_action: "clear" });

    const group = await rig.h.app.store.groups.byCode("TIIWG");
    const decision = await rig.h.app.store.decisions.byNumber(group!.id, 1);
    expect(decision?.text).toBe("Chantal drafts the terms & conditions by the end of the year");
    expect(decision?.source).toEqual({
      platform: "slack",
      channelId: TIIWG_CHANNEL,
      messageId: said.ts,
      permalink: `https://cmp-test.slack.com/archives/${TIIWG_CHANNEL}/p1767300000000100`,
      authorName: "Salvador Behar",
      saidAt: "2026-01-01T20:40:00.000Z",
    });

    const confirmation = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && c.args.thread_ts === said.ts,
    );
    expect(confirmation.args.channel).toBe(TIIWG_CHANNEL);
    expect(allText(confirmation.args.blocks)).toContain("Decision TIIWG-D1 logged.");
    expect(allText(confirmation.args.blocks)).toContain("Awaiting 1 more co-chair confirmation.");
    expect(buttonsOf(confirmation.args.blocks)).toEqual([
      expect.objectContaining({ action_id: "decision.confirm", value: "TIIWG-D1" }),
    ]);

    // The Mexican co-chair confirms with the button: the decision is now bilateral.
    const click = buttonClick(rig, "salvador", { id: "decision.confirm", value: "TIIWG-D1" });
    await rig.interactive(click);
    const confirmed = await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => r.id === click.trigger_id,
    );
    expect(allText(confirmed.body.blocks)).toContain("TIIWG-D1 quedó confirmada.");
    expect((await rig.h.app.store.decisions.byNumber(group!.id, 1))?.status).toBe("confirmed");
  });

  it("confirms a decision taken from a reply in the thread the reply belongs to", async () => {
    const shortcut = messageShortcut(rig, "sara", { ...said, text: "Agreed in the thread" });
    const parent = "1767299000.000050";
    const inThread = { ...shortcut, message: { ...shortcut.message, thread_ts: parent } };
    await rig.interactive(inThread);
    const view = await openedView(shortcut.trigger_id);
    await rig.interactive(viewSubmission(rig, "sara", view, { group: "TIIWG", text: "Agreed" }));
    const confirmation = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage",
    );
    expect(confirmation.args.thread_ts).toBe(parent);
    const group = await rig.h.app.store.groups.byCode("TIIWG");
    expect((await rig.h.app.store.decisions.byNumber(group!.id, 1))?.source?.messageId).toBe(
      said.ts,
    );
  });

  it("keeps one decision when the same message is logged twice", async () => {
    for (const [i, user] of ["sara", "chantal"].entries()) {
      const shortcut = messageShortcut(rig, user, { ...said, text: "We agree" });
      await rig.interactive(shortcut);
      const view = await openedView(shortcut.trigger_id);
      await rig.interactive(
        viewSubmission(rig, user, view, { group: "TIIWG", text: "We agree" }, `V0LOG${i}`),
      );
    }
    const second = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) =>
        c.method === "chat.postMessage" && allText(c.args.blocks).includes("déjà été consigné"),
    );
    expect(allText(second.args.blocks)).toContain("Ce message a déjà été consigné sous TIIWG-D1.");
    expect(await rig.h.count("decisions")).toBe(1);
  });

  it("tells a member who co-chairs no group why, privately, and opens no modal", async () => {
    const shortcut = messageShortcut(rig, "member", { ...said, text: "We agree" });
    await rig.interactive(shortcut);
    const refusal = await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => r.id === shortcut.trigger_id,
    );
    expect(refusal.body.response_type).toBe("ephemeral");
    expect(allText(refusal.body.blocks)).toContain(
      "Only co-chairs and the secretariat can do that, and you co-chair no group.",
    );
    expect(rig.fake.callsTo("views.open")).toHaveLength(0);
  });
});

describe("buttons", () => {
  it("Mark done closes the item once, even when clicked twice", async () => {
    await rig.h.run("sara", "add TIIWG Roadmap due 2027-Q1");
    const first = buttonClick(rig, "sara", { id: "item.done", value: "TIIWG-1" });
    const second = buttonClick(rig, "sara", { id: "item.done", value: "TIIWG-1" });
    await Promise.all([rig.interactive(first), rig.interactive(second)]);
    const replies = await Promise.all(
      [first, second].map((c) =>
        rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === c.trigger_id),
      ),
    );
    const texts = replies.map((r) => allText(r.body.blocks)).sort();
    expect(texts.filter((t) => t.includes("→ Done"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("TIIWG-1 is already Done."))).toHaveLength(1);
    expect(replies.every((r) => r.body.replace_original === false)).toBe(true);
    const updates = await rig.h.app.store.commitments.updates((await tiiwgItem(1))!.id);
    expect(updates.filter((u) => u.kind === "status")).toHaveLength(1);
  });

  it("Add a note opens the note form, and the note is stored and announced in the channel", async () => {
    await rig.h.run("sara", "add TIIWG Roadmap due 2027-Q1");
    const click = buttonClick(rig, "member", { id: "item.note", value: "TIIWG-1" });
    await rig.interactive(click);
    const view = await openedView(click.trigger_id);
    expect(view.title.text).toBe("Note on TIIWG-1");
    const res = await rig.interactive(
      viewSubmission(rig, "member", view, { note: "Embassy contacted INADEM" }),
    );
    expect(await res.json()).toEqual({ response_action: "clear" });
    const post = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage" && allText(c.args.blocks).includes("Note added"),
    );
    expect(post.args.channel).toBe(TIIWG_CHANNEL);
    const updates = await rig.h.app.store.commitments.updates((await tiiwgItem(1))!.id);
    expect(updates.map((u) => u.text)).toContain("Embassy contacted INADEM");
  });

  it("ignores a button whose value is not an item reference", async () => {
    await rig.h.run("sara", "add TIIWG Roadmap due 2027-Q1");
    const click = buttonClick(rig, "sara", { id: "item.done", value: "TIIWG-1 extra words" });
    expect((await rig.interactive(click)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.fake.responses).toHaveLength(0);
    expect((await tiiwgItem(1))?.status).not.toBe("done");
  });
});

describe("request verification", () => {
  const body = (text: string) =>
    new URLSearchParams({
      command: "/cmp",
      text,
      user_id: "U0ADMIN",
      user_name: "admin",
      channel_id: TIIWG_CHANNEL,
      trigger_id: newTriggerId(),
      response_url: "https://hooks.slack.com/commands/T1/1/x",
    }).toString();
  const now = () => Math.floor(Date.now() / 1000);

  it("refuses unsigned, stale, future and tampered requests with 401, logs them, and runs nothing", async () => {
    const attempts = {
      unsigned: await rig.post(body("add TIIWG Unsigned"), { sign: false }),
      stale: await rig.post(body("add TIIWG Stale"), { timestamp: now() - 6 * 60 }),
      future: await rig.post(body("add TIIWG Future"), { timestamp: now() + 6 * 60 }),
      tampered: await rig.post(body("add TIIWG Tampered"), {
        signature: slackSignature(SIGNING_SECRET, now(), body("status")),
      }),
      wrongSecret: await rig.post(body("add TIIWG Forged"), {
        signature: slackSignature("not-the-secret", now(), body("add TIIWG Forged")),
      }),
    };
    for (const [name, res] of Object.entries(attempts))
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.fake.calls).toHaveLength(0);
    expect(rig.fake.responses).toHaveLength(0);
    expect(await tiiwgCount()).toBe(0);
    const reasons = rig.logs.filter((l) => l.msg === "slack request refused").map((l) => l.reason);
    expect(reasons).toEqual([
      "missing timestamp",
      "stale timestamp",
      "timestamp in the future",
      "Failed to verify authenticity: signature mismatch",
      "Failed to verify authenticity: signature mismatch",
    ]);
    // One line per refusal, nothing else at warning level or above.
    expect(rig.logs.filter((l) => l.level >= 40)).toHaveLength(5);
    // No log line carries the signing secret or a signature.
    expect(JSON.stringify(rig.logs)).not.toContain(SIGNING_SECRET);
  });

  it("acts once on a replayed slash command (same trigger_id)", async () => {
    const triggerId = newTriggerId();
    await rig.command("sara", "add TIIWG Replayed roadmap", { triggerId });
    await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
    await rig.command("sara", "add TIIWG Replayed roadmap", { triggerId });
    await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => r.id === triggerId && allText(r.body.blocks).includes("already handled"),
    );
    expect(await tiiwgCount()).toBe(1);
  });

  it("never follows a response_url outside the allowed hosts, answering through the Web API", async () => {
    const trigger = newTriggerId();
    const res = await rig.post(
      new URLSearchParams({
        command: "/cmp",
        text: "help",
        user_id: "U0SARA",
        user_name: "sara",
        channel_id: TIIWG_CHANNEL,
        trigger_id: trigger,
        response_url: "https://hooks.evil.example/commands/steal",
      }).toString(),
    );
    expect(res.status).toBe(200);
    const ephemeral = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postEphemeral",
    );
    expect(ephemeral.args).toMatchObject({ channel: TIIWG_CHANNEL, user: "U0SARA" });
    expect(allText(ephemeral.args.blocks)).toContain("CMP bot — what you can do");
    expect(rig.logs.some((l) => l.msg?.includes("response_url host not allowed"))).toBe(true);
    expect(rig.logs.find((l) => l.host)?.host).toBe("hooks.evil.example");
  });

  it("answers through the Web API when the response_url has expired", async () => {
    rig.fake.responseUrlsExpired = true;
    await rig.command("chantal", "aide");
    const ephemeral = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postEphemeral",
    );
    expect(ephemeral.args).toMatchObject({ channel: TIIWG_CHANNEL, user: "U0CHANTAL" });
    expect(allText(ephemeral.args.blocks)).toContain("Robot CMP — ce que vous pouvez faire");
  });
});

describe("user text is shown, never executed", () => {
  it("escapes mentions, links and entities typed into a title, and keeps a plain @channel plain", async () => {
    // What Slack sends for a title typed as: <!channel> <@U0ADMIN> <https://evil.example|click> &lt; and
    // "@here" / "@channel" typed as words (should_escape turns @here into <!here>).
    const typed =
      "&lt;!channel&gt; &lt;@U0ADMIN&gt; &lt;https://evil.example|click&gt; &amp;lt; <!here> @channel";
    const added = await cmp("sara", `add TIIWG ${typed}`);
    const item = await tiiwgItem(1);
    expect(item?.title).toBe(
      "<!channel> <@U0ADMIN> <https://evil.example|click> &lt; @here @channel",
    );

    const status = await cmp("sara", "list TIIWG");
    for (const reply of [added, status]) {
      const texts = textObjects(reply.body.blocks);
      const joined = texts.map((t) => t.text).join("\n");
      expect(joined).toContain(
        "&lt;!channel&gt; &lt;@U0ADMIN&gt; &lt;https://evil.example|click&gt; &amp;lt; @here @channel",
      );
      expect(joined).not.toMatch(/<[!@#]|<https?:/);
      expect(texts.filter((t) => t.type === "mrkdwn").every((t) => t.verbatim === true)).toBe(true);
      expect(String(reply.body.text)).not.toMatch(/<[!@#]/);
      expect(reply.body).not.toHaveProperty("link_names");
      expect(reply.body).not.toHaveProperty("parse");
    }
  });
});

describe("formatting typed by a person", () => {
  it("reaches Slack as plain_text, shown as typed, without control or bidi characters", async () => {
    const hostile = "*bold* _it_ ~strike~ `code` \u202Efdp.exe \u001b[31mred\u0007";
    const added = await cmp("sara", `add TIIWG ${hostile}`);
    expect((await tiiwgItem(1))?.title).toBe(hostile);
    expect(added.body.blocks).toEqual([
      {
        type: "section",
        text: {
          type: "plain_text",
          text: "Added TIIWG-1: *bold* _it_ ~strike~ `code` fdp.exe [31mred",
          emoji: true,
        },
      },
      {
        type: "section",
        fields: [
          { type: "plain_text", text: "Timeline\nno date", emoji: true },
          { type: "plain_text", text: "Status\nIntroduction phase", emoji: true },
        ],
      },
      {
        type: "context",
        elements: [
          {
            type: "plain_text",
            text: "See it with /cmp show TIIWG-1; close it with /cmp done TIIWG-1.",
            emoji: true,
          },
        ],
      },
    ]);
    const listed = await cmp("sara", "list TIIWG");
    const texts = textObjects(listed.body.blocks);
    expect(texts.map((t) => t.type)).not.toContain("mrkdwn");
    expect(texts.map((t) => t.text).join("\n")).toContain(
      "*bold* _it_ ~strike~ `code` fdp.exe [31mred",
    );
    expect(texts.every((t) => isInert(t.text))).toBe(true);
  });
});

describe("mentions of the bot (Events API)", () => {
  function mention(text: string, eventId: string) {
    const body = fixture<Record<string, unknown> & { event: Record<string, unknown> }>(
      "event-callback-app-mention.bolt-python.json",
    );
    return {
      ...body,
      event_id: eventId,
      authorizations: [{ user_id: "UBOT", is_bot: true }],
      event: {
        ...body.event,
        text,
        user: "U0SARA",
        channel: TIIWG_CHANNEL,
        ts: "1767310000.000200",
      },
    };
  }

  it("answers @CMP status in the thread of the mention", async () => {
    const res = await rig.event(mention("<@UBOT> status TIIWG", "Ev0STATUS"));
    expect(res.status).toBe(200);
    const post = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postMessage",
    );
    expect(post.args).toMatchObject({ channel: TIIWG_CHANNEL, thread_ts: "1767310000.000200" });
    expect(allText(post.args.blocks)).toContain("TIIWG — Trade, Investment and Innovation");
  });

  it("does not add an item twice when Slack retries the event", async () => {
    const event = mention("<@UBOT> add TIIWG Retry-safe roadmap", "Ev0RETRY");
    await rig.event(event);
    await rig.fake.waitFor<RecordedCall>("call", (c) => c.method === "chat.postMessage");
    await rig.event(event, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) =>
        c.method === "chat.postEphemeral" && allText(c.args.blocks).includes("already handled"),
    );
    expect(await tiiwgCount()).toBe(1);
  });
});

describe("long replies", () => {
  it("keeps the status of a busy group to one message within Slack's limits, the rest a list away", async () => {
    // Status shows ten overdue, five stalled (overdue past their reminders, as these are) and
    // ten due soon, each with its buttons.
    for (let i = 1; i <= 45; i += 1)
      await rig.h.run(
        "sara",
        `add TIIWG Overdue action ${i} with a fairly descriptive title due 2026-01-31`,
      );
    for (let i = 1; i <= 12; i += 1)
      await rig.h.run("sara", `add TIIWG Upcoming action ${i} due 2026-11-27`);
    const triggerId = newTriggerId();
    await rig.command("sara", "status TIIWG", { triggerId });
    await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => r.id === triggerId && allText(r.body.blocks).includes("Next meeting"),
    );
    const parts = rig.fake.responses.filter((r) => r.id === triggerId);
    expect(parts.length).toBe(1);
    for (const part of parts) {
      const blocks = part.body.blocks as unknown[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const t of textObjects(blocks)) expect(t.text.length).toBeLessThanOrEqual(3000);
    }
    const all = allText(parts.map((p) => p.body.blocks));
    expect(all).toContain("TIIWG-5 · Overdue action 5");
    expect(all).not.toContain("TIIWG-6 · Overdue action 6");
    expect(all).toContain("TIIWG-55 · Upcoming action 10");
    expect(all).toContain("…and 40 more");
    expect(all).toContain("All of them: /cmp list TIIWG overdue");
    expect(parts.map((p) => p.body.response_type)).toEqual(parts.map(() => "in_channel"));
  });
});
