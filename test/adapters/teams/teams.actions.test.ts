import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../../support/harness.js";
import {
  ACCOUNTS,
  BOT,
  cardsOf,
  channelInvoke,
  channelMessage,
  elementsOf,
  type FakeConnector,
  fixture,
  runsOf,
  startTeamsSuite,
  stopTeamsSuite,
  type TeamsBot,
  textOfCall,
  type Who,
} from "../../support/teams-rig.js";

let h: Harness;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  ({ h, connector, bot } = await startTeamsSuite());
});
afterEach(() => stopTeamsSuite({ h, connector, bot }));

const THREAD = "19:6decf54d86d945e4b3924b63a9161a78@thread.skype";

/** The recorded "… → Log as decision" fetchTask, replayed against the fake connector. */
function fetchTask(who: Who): Record<string, unknown> {
  const activity = fixture("invoke-composeExtension-fetchTask-message-action.msteams-docs.json");
  activity.value.commandId = "logDecision";
  return {
    ...activity,
    channelId: "msteams",
    serviceUrl: connector.url,
    recipient: BOT,
    locale: "en-US",
    from: ACCOUNTS[who],
  };
}

/** The submitAction envelope, carrying the dialog's values and the recorded message. */
function submitAction(who: Who, data: Record<string, unknown>, id = "f:submit-1") {
  const activity = fixture("invoke-composeExtension-submitAction-message.teams-net.json");
  const recorded = fetchTask(who);
  // With botMessagePreviewAction set, botbuilder routes to the preview-edit handler instead.
  delete activity.value.botMessagePreviewAction;
  return {
    ...activity,
    id,
    serviceUrl: connector.url,
    recipient: BOT,
    from: ACCOUNTS[who],
    locale: "en-US",
    conversation: recorded.conversation,
    channelData: recorded.channelData,
    value: {
      ...activity.value,
      commandId: "logDecision",
      data,
      messagePayload: (recorded.value as { messagePayload: unknown }).messagePayload,
    },
  };
}

type Dialog = {
  task: { type: string; value: { title: string; card: { content: Record<string, unknown> } } };
};

async function invoke(activity: object): Promise<{ status: number; body: unknown }> {
  const response = await bot.post(activity);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe("the Log as decision message action", () => {
  it("opens a dialog prefilled with the message, stores the decision with its source, and posts the confirmation", async () => {
    await h.app.store.groups.bindChannel(
      {
        groupId: (await h.app.store.groups.byCode("TIIWG"))!.id,
        platform: "teams",
        channelId: THREAD,
      },
      h.clock.now().toISOString(),
    );
    const opened = await invoke(fetchTask("sara"));
    expect(opened.status).toBe(200);
    const dialog = opened.body as Dialog;
    expect(dialog.task.type).toBe("continue");
    expect(dialog.task.value.title).toBe("Log a decision");
    const card = dialog.task.value.card.content;
    const [group] = elementsOf(card, "Input.ChoiceSet");
    const [text] = elementsOf(card, "Input.Text");
    expect(group).toMatchObject({ id: "group", value: "TIIWG", label: "Working group" });
    // The HTML body as plain text: the mention keeps its name, the markup goes.
    expect(text).toMatchObject({ id: "text", value: "Testing outgoing Webhook-Nikitha - Hi" });
    const submit = (card.actions as { data: Record<string, unknown> }[])[0]!.data;

    const submitted = await invoke(
      submitAction("sara", {
        ...submit,
        group: "TIIWG",
        text: "Approve the draft terms of reference",
      }),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({});
    const group1 = (await h.app.store.groups.byCode("TIIWG"))!;
    const decision = await h.app.store.decisions.byNumber(group1.id, 1);
    expect(decision?.text).toBe("Approve the draft terms of reference");
    expect(decision?.source).toEqual({
      platform: "teams",
      channelId: THREAD,
      messageId: "1611060744833",
      permalink: `https://teams.microsoft.com/l/message/${THREAD}/1611060744833`,
      authorName: "Olo Brockhouse",
      saidAt: "2021-01-19T12:52:24.833Z",
    });
    // The confirmation goes into the message's thread, with the Confirm button.
    const posted = connector.posts().at(-1)!;
    expect(posted.path).toBe(
      `/v3/conversations/${THREAD};messageid=1611060744833/activities/f:submit-1`,
    );
    expect(textOfCall(posted)).toContain("Decision TIIWG-D1 logged.");
    expect(elementsOf(cardsOf(posted)[0], "Action.Execute")).toEqual([
      expect.objectContaining({ verb: "decision.confirm", data: { ref: "TIIWG-D1" } }),
    ]);
  });

  it("shows a refusal on the field it is about and keeps what was typed", async () => {
    const opened = (await invoke(fetchTask("sara"))).body as Dialog;
    const submit = (opened.task.value.card.content.actions as { data: object }[])[0]!.data;
    const again = (await invoke(submitAction("sara", { ...submit, group: "TIIWG", text: "  " })))
      .body as Dialog;
    expect(again.task.type).toBe("continue");
    const body = again.task.value.card.content.body as Record<string, unknown>[];
    const textIndex = body.findIndex((e) => e.id === "text");
    expect(runsOf({ body: [body[textIndex + 1]] })).toEqual([
      "What did the group decide? The decision text is empty.",
    ]);
    expect(body[textIndex + 1]).toMatchObject({
      inlines: [expect.objectContaining({ color: "Attention" })],
    });
    expect(await h.count("decisions")).toBe(0);
  });

  it("refuses people who co-chair no group, in their language, before any form", async () => {
    const activity = fetchTask("member");
    activity.locale = "es-MX";
    const shown = (await invoke(activity)).body as Dialog;
    expect(runsOf(shown.task.value.card.content)).toContain(
      "Solo la copresidencia y el secretariado pueden hacer eso, y usted no copreside ningún grupo.",
    );
    expect(elementsOf(shown.task.value.card.content, "Input.Text")).toEqual([]);
    const forged = await invoke(
      submitAction("member", { cmpForm: "decide", group: "TIIWG", text: "We agree" }),
    );
    expect(forged.status).toBe(200);
    expect(await h.count("decisions")).toBe(0);
  });
});

describe("card buttons", () => {
  async function addItem(title = "Joint roadmap") {
    await bot.post(channelMessage(connector, "sara", `add TIIWG ${title} due 2027-Q1 owner COMCE`));
  }
  const execute = (who: Who, verb: string, ref: string, id?: string) =>
    channelInvoke(
      connector,
      who,
      "adaptiveCard/action",
      { action: { type: "Action.Execute", verb, data: { ref } }, trigger: "manual" },
      { id },
    );

  it("show puts Mark done and Add a note on the item's card", async () => {
    await addItem();
    await bot.post(channelMessage(connector, "sara", "show TIIWG-1"));
    const [card] = cardsOf(connector.posts().at(-1)!);
    expect(elementsOf(card, "Action.Execute")).toEqual([
      {
        type: "Action.Execute",
        title: "Mark done",
        verb: "item.done",
        data: { ref: "TIIWG-1" },
        style: "positive",
      },
    ]);
    expect(elementsOf(card, "Action.Submit")).toEqual([
      {
        type: "Action.Submit",
        title: "Add a note",
        data: { msteams: { type: "task/fetch" }, cmpForm: "note", cmpContext: { ref: "TIIWG-1" } },
      },
    ]);
  });

  it("Mark done updates the card in place; a redelivered invoke acts once; a second click says it is already done", async () => {
    await addItem();
    const click = execute("sara", "item.done", "TIIWG-1", "f:click-1");
    const first = await invoke(click);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
    });
    const updated = (first.body as { value: unknown }).value;
    expect(runsOf(updated).join(" ")).toContain("TIIWG-1");
    expect(runsOf(updated).join(" ")).toContain("Done");
    expect(elementsOf(updated, "Action.Execute")).toEqual([]);
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.commitments.byNumber(group.id, 1))?.status).toBe("done");
    const audit = await h.count("audit_log");

    const redelivered = await invoke(click);
    expect(redelivered.body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: "That request was already handled; nothing was done twice.",
    });
    const secondClick = await invoke(execute("sara", "item.done", "TIIWG-1"));
    expect(secondClick.body).toMatchObject({
      type: "application/vnd.microsoft.activity.message",
      value: expect.stringContaining("already"),
    });
    expect(await h.count("audit_log")).toBe(audit);
  });

  it("a person without the right gets the refusal, and the card stays as it was", async () => {
    await addItem();
    const refused = await invoke(execute("outsider", "item.done", "TIIWG-1"));
    expect(refused.body).toMatchObject({
      type: "application/vnd.microsoft.activity.message",
      value: expect.stringContaining("Only the owners of TIIWG-1"),
    });
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.commitments.byNumber(group.id, 1))?.status).not.toBe("done");
  });

  it("Confirm records each country's confirmation on the decision card", async () => {
    await bot.post(
      channelMessage(connector, "sara", "decide TIIWG Seek approval of the terms of reference"),
    );
    const canada = await invoke(execute("sara", "decision.confirm", "TIIWG-D1"));
    expect(runsOf((canada.body as { value: unknown }).value).join(" ")).toContain("TIIWG-D1");
    const mexico = await invoke(execute("salvador", "decision.confirm", "TIIWG-D1"));
    const card = (mexico.body as { value: unknown }).value;
    expect(elementsOf(card, "Action.Execute")).toEqual([]);
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.decisions.byNumber(group.id, 1))?.status).toBe("confirmed");
  });

  it("rejects actions it does not know and references that are not ids", async () => {
    const unknown = await invoke(execute("sara", "item.delete", "TIIWG-1"));
    expect(unknown.status).toBe(400);
    const injected = await invoke(execute("sara", "item.done", "TIIWG-1 note hi"));
    expect(injected.status).toBe(400);
  });

  it("Add a note opens a dialog; saving adds the note and updates the card in place", async () => {
    await addItem();
    const opened = (
      await invoke(
        channelInvoke(connector, "member", "task/fetch", {
          data: {
            msteams: { type: "task/fetch" },
            cmpForm: "note",
            cmpContext: { ref: "TIIWG-1" },
          },
        }),
      )
    ).body as Dialog;
    expect(opened.task.value.title).toBe("Note on TIIWG-1");
    const submit = (opened.task.value.card.content.actions as { data: object }[])[0]!.data;
    const saved = await invoke(
      channelInvoke(
        connector,
        "member",
        "task/submit",
        { data: { ...submit, note: "Called INADEM today" } },
        { replyToId: "msg-card-7" },
      ),
    );
    expect(saved.status).toBe(200);
    const updates = connector.posts().filter((c) => c.method === "PUT");
    expect(updates.map((c) => c.path)).toEqual([
      "/v3/conversations/19:d441d38c655c47a085215b2726e76927@thread.tacv2;messageid=1767326091220/activities/msg-card-7",
    ]);
    expect(textOfCall(updates[0]!)).toContain("Note added to TIIWG-1.");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    const item = (await h.app.store.commitments.byNumber(group.id, 1))!;
    expect((await h.app.store.commitments.updates(item.id)).map((u) => u.text)).toContain(
      "Called INADEM today",
    );
  });

  it("the add form's dialog refuses a bad timeline on its field, then creates the item", async () => {
    const opened = (
      await invoke(
        channelInvoke(connector, "sara", "task/fetch", {
          data: { msteams: { type: "task/fetch" }, cmpForm: "add", cmpContext: {} },
        }),
      )
    ).body as Dialog;
    const submit = (opened.task.value.card.content.actions as { data: object }[])[0]!.data;
    const values = {
      group: "TIIWG",
      title: "Roadmap",
      timeline: "someday maybe",
      tentative: "false",
    };
    const refused = (
      await invoke(
        channelInvoke(connector, "sara", "task/submit", { data: { ...submit, ...values } }),
      )
    ).body as Dialog;
    const body = refused.task.value.card.content.body as Record<string, unknown>[];
    const timeline = body.findIndex((e) => e.id === "timeline");
    expect(body[timeline]).toMatchObject({ value: "someday maybe" });
    expect(runsOf({ body: [body[timeline + 1]] })[0]).toContain("could not read the timeline");
    expect(await h.count("commitments")).toBe(1);
    await invoke(
      channelInvoke(connector, "sara", "task/submit", {
        data: { ...submit, ...values, timeline: "2027-Q1" },
      }),
    );
    expect(textOfCall(connector.posts().at(-1)!)).toContain("Added TIIWG-1: Roadmap");
  });
});
