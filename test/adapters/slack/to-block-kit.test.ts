import { describe, expect, it } from "vitest";
import {
  escapeSlack,
  fieldErrors,
  fitEscaped,
  formContext,
  formToModal,
  SLACK_LIMITS,
  toSlackMessages,
} from "../../../src/adapters/slack/to-block-kit.js";
import type { FormDoc, MessageDoc } from "../../../src/core/render/message.js";
import { buttonsOf, textObjects } from "../../support/slack-blocks.js";

const INJECTION = "<!channel> <!here> <@U123> <https://evil.example|click> &lt; @channel";

describe("Block Kit rendering", () => {
  it("escapes every string, so mentions, links and entities typed by a person stay words", () => {
    const doc: MessageDoc = {
      summary: INJECTION,
      blocks: [
        { type: "header", text: INJECTION },
        { type: "text", text: INJECTION },
        { type: "fields", fields: [{ label: INJECTION, value: INJECTION }] },
        {
          type: "list",
          title: INJECTION,
          items: [
            { text: INJECTION, detail: INJECTION },
            {
              text: INJECTION,
              actions: [{ id: "item.done", label: INJECTION, value: "TIIWG-1" }],
            },
          ],
        },
        { type: "context", text: INJECTION },
        { type: "actions", actions: [{ id: "item.note", label: INJECTION, value: "TIIWG-1" }] },
      ],
    };
    const [message] = toSlackMessages(doc);
    const escaped = escapeSlack(INJECTION);
    expect(escaped).toBe(
      "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp;lt; @channel",
    );
    const texts = textObjects(message?.blocks);
    expect(texts.length).toBeGreaterThanOrEqual(8);
    for (const t of texts) {
      expect(t.text).not.toMatch(/<[!@#]|<https?:/);
      expect(t.text).toContain("&lt;!channel&gt;");
      if (t.type === "mrkdwn") expect(t.verbatim).toBe(true);
    }
    expect(message?.text).toBe(escaped);
    expect(JSON.stringify(message)).not.toMatch(/link_names|"parse"/);
  });

  it("links an item to its source only with an http(s) URL whose special characters are encoded", () => {
    const [message] = toSlackMessages({
      summary: "s",
      blocks: [
        {
          type: "list",
          items: [
            { text: "Decision", url: "https://x.slack.com/archives/C1/p1?thread_ts=1&cid=C1|x>" },
            { text: "Bad link", url: "javascript:alert(1)" },
          ],
        },
      ],
    });
    expect(message?.blocks).toEqual([
      { type: "section", text: { type: "plain_text", text: "• Decision", emoji: true } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "<https://x.slack.com/archives/C1/p1?thread_ts=1&amp;cid=C1%7Cx%3E>",
            verbatim: true,
          },
        ],
      },
      { type: "section", text: { type: "plain_text", text: "• Bad link", emoji: true } },
    ]);
  });

  it("shows formatting characters and mention syntax typed by a person as typed, and drops control and bidi characters", () => {
    const typed = "*bold* _it_ ~strike~ `code` > quote :x: <!channel> <@U1> a&b";
    const hostile = `${typed}\u202Egnp.exe\u2066\u2069\u200F\u0000\u0007\u001b[2J\u009b`;
    const shown = "*bold* _it_ ~strike~ `code` &gt; quote :x: &lt;!channel&gt; &lt;@U1&gt; a&amp;b";
    const [message] = toSlackMessages({
      summary: hostile,
      blocks: [
        { type: "header", text: hostile },
        { type: "text", text: hostile },
        { type: "fields", fields: [{ label: "Title", value: hostile }] },
        {
          type: "list",
          title: hostile,
          items: [
            { text: hostile, detail: hostile },
            {
              text: hostile,
              url: "https://example.org/x",
              actions: [{ id: "item.done", label: "*Done*\u202E", value: "T-1" }],
            },
          ],
        },
        { type: "context", text: hostile },
      ],
    });
    expect(message?.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: `${shown}gnp.exe[2J`, emoji: true } },
      { type: "section", text: { type: "plain_text", text: `${shown}gnp.exe[2J`, emoji: true } },
      {
        type: "section",
        fields: [{ type: "plain_text", text: `Title\n${shown}gnp.exe[2J`, emoji: true }],
      },
      {
        type: "section",
        text: {
          type: "plain_text",
          text: `${shown}gnp.exe[2J\n• ${shown}gnp.exe[2J\n${shown}gnp.exe[2J`,
          emoji: true,
        },
      },
      {
        type: "section",
        text: { type: "plain_text", text: `• ${shown}gnp.exe[2J`, emoji: true },
        accessory: {
          type: "button",
          action_id: "item.done",
          text: { type: "plain_text", text: "*Done*", emoji: true },
          value: "T-1",
        },
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "<https://example.org/x>", verbatim: true }],
      },
      {
        type: "context",
        elements: [{ type: "plain_text", text: `${shown}gnp.exe[2J`, emoji: true }],
      },
    ]);
    expect(message?.text).toBe(`${shown}gnp.exe[2J`);
  });

  it("puts one button beside its item and several under it, with the reference as value", () => {
    const [message] = toSlackMessages({
      summary: "s",
      blocks: [
        {
          type: "list",
          items: [
            { text: "One", actions: [{ id: "decision.confirm", label: "Confirm", value: "T-D1" }] },
            {
              text: "Two",
              actions: [
                { id: "item.done", label: "Mark done", value: "T-2", style: "primary" },
                { id: "item.note", label: "Add a note", value: "T-2" },
              ],
            },
          ],
        },
      ],
    });
    expect(message?.blocks.map((b) => b.type)).toEqual(["section", "section", "actions"]);
    expect(buttonsOf(message?.blocks)).toEqual([
      expect.objectContaining({ action_id: "decision.confirm", value: "T-D1" }),
      expect.objectContaining({ action_id: "item.done", value: "T-2", style: "primary" }),
      expect.objectContaining({ action_id: "item.note", value: "T-2" }),
    ]);
  });

  it("splits a document over 50 blocks into messages, keeping each item with its buttons", () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      text: `TIIWG-${i + 1} · Item`,
      actions: [
        { id: "item.done" as const, label: "Mark done", value: `TIIWG-${i + 1}` },
        { id: "item.note" as const, label: "Add a note", value: `TIIWG-${i + 1}` },
      ],
    }));
    const messages = toSlackMessages({
      summary: "Status",
      blocks: [
        { type: "header", text: "TIIWG" },
        { type: "list", items },
      ],
    });
    expect(messages).toHaveLength(3);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      // No message starts with buttons separated from their item.
      expect(m.blocks[0]?.type).not.toBe("actions");
    }
    expect(messages.map((m) => m.text)).toEqual(["Status (1/3)", "Status (2/3)", "Status (3/3)"]);
    expect(buttonsOf(messages.map((m) => m.blocks))).toHaveLength(120);
  });

  it("splits text over 3,000 characters into sections without cutting an escaped character", () => {
    const long = `${"a&b ".repeat(1200)}end`;
    const [message] = toSlackMessages({ summary: "s", blocks: [{ type: "text", text: long }] });
    const texts = textObjects(message?.blocks).map((t) => t.text);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(t).not.toMatch(/&(a|am|amp)?$/);
    }
    expect(texts.join(" ").replaceAll("&amp;", "&")).toBe(long);
  });

  it("cuts a plain-text header to 150 characters after escaping", () => {
    expect(fitEscaped("<".repeat(200), 150).length).toBeLessThanOrEqual(150);
    expect(fitEscaped("<".repeat(200), 150)).toMatch(/^(&lt;)+…$/);
    const [message] = toSlackMessages({
      summary: "s",
      blocks: [{ type: "header", text: "x".repeat(300) }],
    });
    expect(textObjects(message?.blocks)[0]?.text.length).toBe(150);
  });
});

describe("modals", () => {
  const form: FormDoc = {
    id: "decide",
    title: "Registrar una decisión muy larga",
    submitLabel: "Guardar",
    context: { text: "We agree", ref: "x" },
    fields: [
      {
        name: "group",
        label: "Grupo",
        kind: "select",
        required: true,
        options: [{ value: "TIIWG", label: "TIIWG — Comercio" }],
        initial: "LMWG",
      },
      {
        name: "text",
        label: "Texto",
        kind: "multiline",
        required: true,
        maxLength: 2000,
        initial: "We agree",
      },
      {
        name: "tentative",
        label: "Por confirmar",
        kind: "checkbox",
        required: false,
        initial: "true",
      },
    ],
  };

  it("renders each field as an input whose block_id is the field name, within Slack's limits", () => {
    const view = formToModal(form, "{}", { close: "Cancelar" });
    expect(view.callback_id).toBe("cmp_form");
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.close?.text).toBe("Cancelar");
    expect(view.blocks.map((b) => b.block_id)).toEqual(["group", "text", "tentative"]);
    const [group, text, tentative] = view.blocks as unknown as {
      optional: boolean;
      element: Record<string, unknown>;
    }[];
    // An initial group the person cannot choose is left out, which Slack would refuse.
    expect(group?.element).not.toHaveProperty("initial_option");
    expect(group?.optional).toBe(false);
    expect(text?.element).toMatchObject({
      multiline: true,
      max_length: 2000,
      initial_value: "We agree",
    });
    expect(tentative?.element).toMatchObject({
      type: "checkboxes",
      initial_options: [{ value: "true" }],
    });
  });

  it("keeps field values out of the private metadata and refuses metadata over 3,000 characters", () => {
    expect(formContext(form)).toEqual({ ref: "x" });
    expect(() => formToModal(form, "x".repeat(3001), { close: "Cancel" })).toThrow();
  });

  it("keys an error by the field's block, or the first block when the field is not on the form", () => {
    expect(fieldErrors(["group", "text"], "text", "Empty")).toEqual({
      response_action: "errors",
      errors: { text: "Empty" },
    });
    expect(fieldErrors(["group", "text"], "timeline", "Bad").errors).toEqual({ group: "Bad" });
    expect(fieldErrors(["group", "text"], null, "No").errors).toEqual({ group: "No" });
  });
});
