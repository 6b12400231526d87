import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedCall, RecordedResponse } from "../../support/fake-slack.js";
import { testScheduler } from "../../support/scheduling.js";
import { allText } from "../../support/slack-blocks.js";
import {
  buttonClick,
  fixture,
  type Rig,
  startRig,
  TIIWG_CHANNEL,
} from "../../support/slack-rig.js";

// A reply in a commitment's thread (issue 13): the bot offers the writer, alone, to add it as a
// note, with a button; nothing is added until they click, and a second click adds nothing more.
// Replies by people who are not members, in other threads, or by bots get no answer.

/** Events are answered after their ack; on a busy two-core machine that can take a while. */
const PATIENCE = 15_000;

let rig: Rig;
let root: string;
let ref: string;
let eventCount = 0;

beforeEach(async () => {
  rig = await startRig();
  const h = rig.h;
  const added = await h.say("sara", "add TIIWG Joint roadmap due 2026-11-27 owner COMCE (MX)");
  ref = /TIIWG-\d+/.exec(added)?.[0] as string;
  // Friday 20 November, 09:00 in Mexico City: the reminder 7 days before starts the item's thread.
  h.clock.set("2026-11-20T15:01:00Z");
  await testScheduler(h.app, h.clock, [rig.adapter.notifier]).tick();
  const [post] = rig.fake.callsTo("chat.postMessage");
  expect(post?.args.thread_ts).toBeUndefined();
  root = rig.fake.history.get(TIIWG_CHANNEL)?.at(-1)?.ts as string;
});
afterEach(() => rig.close());

/** A message event shaped like Slack's documented example, in our channel. */
function reply(user: string, text: string, thread: string, extra: object = {}) {
  const body = fixture<{ event: Record<string, unknown> }>(
    "event-callback-message-thread-reply.slack-docs.json",
  );
  eventCount += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(eventCount).padStart(6, "0")}`;
  return {
    ...body,
    event_id: `EvTHREAD${eventCount}`,
    event: {
      ...body.event,
      channel: TIIWG_CHANNEL,
      user,
      text,
      ts,
      event_ts: ts,
      thread_ts: thread,
      parent_user_id: "UBOT",
      ...extra,
    },
  };
}

const offers = () => rig.fake.callsTo("chat.postEphemeral");

async function settle() {
  // Events are acknowledged before they are handled: give the handler its turn.
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe("a reply in a commitment's thread", () => {
  it("is offered to its writer as a note, and added once when they click", async () => {
    const notes = await rig.h.count("commitment_updates");
    expect(
      (await rig.event(reply("U0MEMBER", "Draft shared with &lt;both&gt; ministries", root)))
        .status,
    ).toBe(200);
    const offer = await rig.fake.waitFor<RecordedCall>(
      "call",
      (c) => c.method === "chat.postEphemeral",
      PATIENCE,
    );
    expect(offer.args).toMatchObject({ channel: TIIWG_CHANNEL, user: "U0MEMBER", thread_ts: root });
    const text = allText(offer.args.blocks);
    expect(text).toContain(`Add as note to ${ref}?`);
    expect(text).toContain("Draft shared with &lt;both&gt; ministries");
    // Offered, not added.
    expect(await rig.h.count("commitment_updates")).toBe(notes);

    const button = (offer.args.blocks as { type: string; elements?: Record<string, string>[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "item.add_note");
    expect(button?.value).toBe(`${ref}\nDraft shared with <both> ministries`);
    const click = buttonClick(rig, "member", { id: "item.add_note", value: button?.value ?? "" });
    await rig.interactive(click);
    await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => allText(r.body.blocks).includes(`Note added to ${ref}`),
      PATIENCE,
    );
    expect(await rig.h.count("commitment_updates")).toBe(notes + 1);
    const item = await rig.h.say("member", `show ${ref}`);
    expect(item).toContain("Draft shared with <both> ministries");

    // The same click again (a retry, a double click) adds nothing, and says so.
    await rig.interactive(click);
    await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => allText(r.body.blocks).includes("already handled"),
      PATIENCE,
    );
    expect(await rig.h.count("commitment_updates")).toBe(notes + 1);
  });

  it("gets no answer from someone who is no member, in another thread, from a bot, or on a retry", async () => {
    const notes = await rig.h.count("commitment_updates");
    await rig.event(reply("U0OUTSIDER", "I have thoughts", root));
    await rig.event(reply("U0MEMBER", "Unrelated thread", "1767000000.000100"));
    await rig.event(reply("U0MEMBER", "A bot's words", root, { bot_id: "B0OTHER" }));
    await rig.event(reply("U0MEMBER", "Edited", root, { subtype: "message_changed" }));
    await rig.event(reply("U0MEMBER", "Top level", root, { thread_ts: undefined }));
    await rig.event(reply("U0MEMBER", "Retried", root), {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    await settle();
    expect(offers()).toHaveLength(0);
    expect(await rig.h.count("commitment_updates")).toBe(notes);
  });

  it("a forged button for an item the clicker may not note adds nothing", async () => {
    const notes = await rig.h.count("commitment_updates");
    const click = buttonClick(rig, "outsider", { id: "item.add_note", value: `${ref}\nSneaky` });
    await rig.interactive(click);
    await rig.fake.waitFor<RecordedResponse>(
      "response",
      (r) => allText(r.body.blocks).includes("Only members of TIIWG"),
      PATIENCE,
    );
    expect(await rig.h.count("commitment_updates")).toBe(notes);
  });
});
