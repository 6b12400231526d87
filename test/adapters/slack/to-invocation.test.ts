import { readFileSync } from "node:fs";
import { parse } from "node:querystring";
import type {
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlashCommand,
  ViewOutput,
} from "@slack/bolt";
import { describe, expect, it } from "vitest";
import {
  clickInvocation,
  commandInvocation,
  decodeFormMetadata,
  encodeFormMetadata,
  mentionedUsers,
  mentionInvocation,
  readSlackText,
  shortcutMessage,
  tsToIso,
  viewInvocation,
  viewValues,
} from "../../../src/adapters/slack/to-invocation.js";
import { fixture } from "../../support/slack-rig.js";

// The recorded Slack payloads (test/fixtures/slack) turned into the core's Invocation.

const slash = parse(
  readFileSync(
    new URL("../../fixtures/slack/slash-command.bolt-python.form.txt", import.meta.url),
    "utf8",
  ).trim(),
) as unknown as SlashCommand;

describe("Slack text", () => {
  it("turns Slack's control sequences into words and lists the people mentioned", () => {
    const read = readSlackText(
      "Ask <@U1|ana.lopez> and <@U2> about <#C1|trade> &amp; <https://ex.org/a|the draft> <!here> &lt;b&gt;",
      new Map([["U2", "Jean Tremblay"]]),
    );
    expect(read.text).toBe(
      "Ask @ana.lopez and @Jean_Tremblay about #trade & the draft (https://ex.org/a) @here <b>",
    );
    expect(read.mentions).toEqual([
      { token: "@ana.lopez", userId: "U1", displayName: "ana.lopez" },
      { token: "@Jean_Tremblay", userId: "U2", displayName: "Jean Tremblay" },
    ]);
    expect(mentionedUsers("<@U1|a> <@U2> <@U1>")).toEqual(["U1", "U2"]);
  });

  it("reads a Slack timestamp as the instant it was said", () => {
    expect(tsToIso("1583636382.000300")).toBe("2020-03-08T02:59:42.000Z");
    expect(tsToIso("nonsense")).toBeNull();
  });
});

describe("payloads to invocations", () => {
  it("reads the recorded slash command, keyed by its trigger_id", () => {
    const invocation = commandInvocation(slash, {
      userId: "W111",
      displayName: "Primary Owner",
      locale: "fr-CA",
      timeZone: "America/Toronto",
    });
    expect(invocation).toEqual({
      platform: "slack",
      text: "Hi",
      actor: {
        userId: "W111",
        displayName: "Primary Owner",
        locale: "fr-CA",
        timeZone: "America/Toronto",
      },
      channelId: "C111",
      mentions: [],
      requestKey: "slack:cmd:111.111.xxx",
    });
  });

  it("reads the recorded message shortcut's text and author", () => {
    const shortcut = fixture<MessageShortcut>("message-action.bolt-python.json");
    expect(shortcutMessage(shortcut)).toEqual({
      text: "@W222 test",
      ts: "1583636382.000300",
      threadTs: null,
      authorId: "W111",
      authorFallback: "W111",
    });
    const reply = { ...shortcut, message: { ...shortcut.message, thread_ts: "1583636000.000100" } };
    expect(shortcutMessage(reply).threadTs).toBe("1583636000.000100");
  });

  it("reads the recorded app_mention without the bot's own mention, keyed by event_id", () => {
    const body = fixture<{
      event_id: string;
      event: { text: string; user: string; channel: string };
    }>("event-callback-app-mention.bolt-python.json");
    const invocation = mentionInvocation(
      { ...body.event, text: "<@W111> status TIIWG" },
      body.event_id,
      "W111",
      null,
    );
    expect(invocation).toMatchObject({
      text: "status TIIWG",
      channelId: "C111",
      requestKey: "slack:event:Ev111",
      actor: { userId: "W222" },
    });
  });

  it("a click on the recorded block_actions is a request of its own, from its channel", () => {
    const body = fixture<BlockAction<ButtonAction>>("block-actions.vercel-chat.json");
    expect(clickInvocation(body, null)).toMatchObject({
      platform: "slack",
      text: "",
      channelId: "C00FAKECHAN1",
      requestKey: `slack:action:${body.trigger_id}`,
    });
  });

  it("reads the values of the recorded view submission by block", () => {
    const body = fixture<{ view: ViewOutput }>("view-submission.vercel-chat.json");
    expect(viewValues(body.view)).toEqual({
      message: "Hello!",
      category: "feature",
      email: "user@example.com",
    });
  });

  it("refuses private metadata that is not ours, such as the recorded view's", () => {
    const body = fixture<{ view: ViewOutput }>("view-submission.vercel-chat.json");
    expect(decodeFormMetadata(body.view.private_metadata)).toBeNull();
    expect(decodeFormMetadata('{"f":"drop","c":{},"l":"en","ch":null}')).toBeNull();
  });

  it("carries the form, its language and the source message through the modal", () => {
    const meta = {
      form: "decide" as const,
      context: {},
      lang: "es" as const,
      channelId: "C1",
      source: {
        channelId: "C1",
        ts: "1583636382.000300",
        threadTs: "1583636000.000100",
        author: "Salvador",
        permalink: "https://p",
      },
    };
    const decoded = decodeFormMetadata(encodeFormMetadata(meta));
    expect(decoded).toEqual(meta);
    const invocation = viewInvocation(
      { user: { id: "U1", name: "u" }, view: { id: "V9" } },
      meta,
      null,
    );
    expect(invocation).toMatchObject({
      language: "es",
      requestKey: "slack:view:V9",
      source: {
        platform: "slack",
        channelId: "C1",
        messageId: "1583636382.000300",
        permalink: "https://p",
        authorName: "Salvador",
        saidAt: "2020-03-08T02:59:42.000Z",
      },
    });
  });
});
