import { describe, expect, it } from "vitest";
import {
  commandText,
  conversationKey,
  htmlToText,
  isPersonalChat,
  mentionsBot,
  messageSource,
  messageText,
  toInvocation,
} from "../../../src/adapters/teams/to-invocation.js";
import { fixture } from "../../support/teams-rig.js";

describe("a Teams message as an invocation", () => {
  it("a recorded personal chat message keeps its text, person, locale and chat", () => {
    const activity = fixture("message-personal-dm.vercel-chat.json");
    activity.locale = "es-MX";
    const invocation = toInvocation(activity);
    expect(isPersonalChat(activity)).toBe(true);
    expect(invocation).toEqual({
      platform: "teams",
      text: "Hey",
      actor: {
        userId: "00000000-1111-2222-3333-444444444444",
        displayName: "Test User",
        locale: "es-MX",
        timeZone: null,
      },
      channelId: activity.conversation.id,
      mentions: [],
      requestKey: "teams:activity:1767378504354",
      // Examples in replies name the bot as people address it there.
      commandPrefix: "@Chat SDK Demo",
      // A personal chat: a reply there is for this person only.
      repliesShared: false,
    });
  });

  it("in a channel, the bot's mention goes by its entity and the thread maps to its channel", () => {
    const activity = {
      ...fixture("message-card-action-submit.vercel-chat.json"),
      text: "<at>Chat SDK Demo</at> estado TIIWG",
      localTimezone: "America/Mexico_City",
      entities: [
        {
          type: "mention",
          text: "<at>Chat SDK Demo</at>",
          mentioned: { id: "28:11111111-2222-3333-4444-555555555555", name: "Chat SDK Demo" },
        },
        { type: "clientInfo", locale: "es-MX" },
      ],
    };
    expect(mentionsBot(activity)).toBe(true);
    const invocation = toInvocation(activity);
    expect(invocation.text).toBe("estado TIIWG");
    expect(invocation.channelId).toBe("19:d441d38c655c47a085215b2726e76927@thread.tacv2");
    expect(invocation.actor.timeZone).toBe("America/Mexico_City");
  });

  it("a mention of another bot with the same name is not taken for ours", () => {
    const activity = {
      ...fixture("message-card-action-submit.vercel-chat.json"),
      text: "<at>Chat SDK Demo</at> status",
      entities: [
        {
          type: "mention",
          text: "<at>Chat SDK Demo</at>",
          mentioned: { id: "28:impostor", name: "Chat SDK Demo" },
        },
      ],
    };
    expect(mentionsBot(activity)).toBe(false);
  });

  it("other people's mentions become @tokens carrying their ids, spaces and all", () => {
    const activity = {
      ...fixture("message-card-action-submit.vercel-chat.json"),
      text: "<at>CMP</at> add TIIWG Roadmap owner <at>Ana María Pérez</at>, <at>Sara</at>, <at>Ana María Pérez</at>",
      entities: [
        {
          type: "mention",
          text: "<at>CMP</at>",
          mentioned: { id: "28:11111111-2222-3333-4444-555555555555" },
        },
        {
          type: "mention",
          text: "<at>Ana María Pérez</at>",
          mentioned: { id: "29:ana", name: "Ana María Pérez" },
        },
        {
          type: "mention",
          text: "<at>Sara</at>",
          mentioned: { id: "29:sara", name: "Sara", aadObjectId: "aad-sara" },
        },
      ],
    };
    const { text, mentions } = commandText(activity, new Map([["29:ana", "aad-ana"]]));
    expect(text).toBe("add TIIWG Roadmap owner @Ana_María_Pérez, @Sara, @Ana_María_Pérez");
    expect(mentions).toEqual([
      { token: "@Ana_María_Pérez", userId: "aad-ana", displayName: "Ana María Pérez" },
      { token: "@Sara", userId: "aad-sara", displayName: "Sara" },
    ]);
  });

  it("decodes what Teams escaped and drops markup, keeping line breaks", () => {
    const activity = {
      text: "<at>CMP</at> decide TIIWG Use &lt;draft&gt; terms &amp; conditions<br>\nSecond&nbsp;line",
      recipient: { id: "28:bot", name: "CMP" },
      entities: [
        { type: "mention", text: "<at>CMP</at>", mentioned: { id: "28:bot", name: "CMP" } },
      ],
    };
    expect(commandText(activity).text).toBe(
      "decide TIIWG Use <draft> terms & conditions\nSecond line",
    );
  });

  it("Teams thread ids collapse to the channel; other conversation ids stay as they are", () => {
    expect(conversationKey("19:abc@thread.tacv2;messageid=1767326091220")).toBe(
      "19:abc@thread.tacv2",
    );
    expect(conversationKey("19:abc@thread.v2")).toBe("19:abc@thread.v2");
    expect(conversationKey("a:1xyz")).toBe("a:1xyz");
  });
});

describe("the message a decision is logged from", () => {
  const recorded = fixture("invoke-composeExtension-fetchTask-message-action.msteams-docs.json");

  it("reads the recorded message's HTML body as text, mention names kept", () => {
    expect(messageText(recorded.value.messagePayload)).toBe(
      "Testing outgoing Webhook-Nikitha - Hi",
    );
    expect(htmlToText("<p>One &amp; two</p><p></p><p>Three<br/>four</p>")).toBe(
      "One & two\n\nThree\nfour",
    );
  });

  it("keeps conversation, message id, link, author and time as its source", () => {
    expect(messageSource(recorded, recorded.value.messagePayload)).toEqual({
      platform: "teams",
      channelId: "19:6decf54d86d945e4b3924b63a9161a78@thread.skype",
      messageId: "1611060744833",
      permalink:
        "https://teams.microsoft.com/l/message/19:6decf54d86d945e4b3924b63a9161a78@thread.skype/1611060744833",
      authorName: "Olo Brockhouse",
      saidAt: "2021-01-19T12:52:24.833Z",
    });
  });

  it("a card message gives its text rendition, and a link that is not https is dropped", () => {
    const synthetic = fixture("invoke-composeExtension-submitAction-message.teams-net.json");
    expect(messageText(synthetic.value.messagePayload)).toBe("text content");
    const source = messageSource(synthetic, {
      ...synthetic.value.messagePayload,
      linkToMessage: "javascript:alert(1)",
    });
    expect(source).toMatchObject({
      channelId: "conversationId",
      messageId: "messageId",
      permalink: null,
    });
  });
});
