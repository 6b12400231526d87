import { describe, expect, it } from "vitest";
import {
  CARD_BUDGET_BYTES,
  formLauncherCard,
  readSubmission,
  renderCards,
  renderFormCard,
} from "../../../src/adapters/teams/to-adaptive-card.js";
import type { FormDoc, MessageDoc } from "../../../src/core/render/message.js";
import { elementsOf, runsOf } from "../../support/teams-rig.js";

describe("replies as Adaptive Cards", () => {
  it("every block keeps its text, in reading order, as plain text runs", () => {
    const doc: MessageDoc = {
      summary: "TIIWG",
      blocks: [
        { type: "header", text: "TIIWG — Trade" },
        { type: "fields", fields: [{ label: "Status", value: "In progress" }] },
        { type: "divider" },
        {
          type: "list",
          title: "Overdue",
          items: [
            {
              text: "TIIWG-2 · Roadmap",
              detail: "Due: Q1 2018",
              url: "https://teams.microsoft.com/l/message/1",
            },
          ],
        },
        { type: "list", title: "Decisions", items: [], empty: "No decisions yet." },
        { type: "context", text: "Line one\nLine two" },
      ],
    };
    const [card, ...more] = renderCards(doc, { lang: "en" });
    expect(more).toEqual([]);
    expect(runsOf(card)).toEqual([
      "TIIWG — Trade",
      "Status: ",
      "In progress",
      "Overdue",
      "• TIIWG-2 · Roadmap",
      "Due: Q1 2018",
      "https://teams.microsoft.com/l/message/1",
      "Decisions",
      "No decisions yet.",
      "Line one",
      "Line two",
    ]);
    // The divider separates what follows it.
    expect(card!.body[2]).toMatchObject({ separator: true });
    expect(card!.body.filter((e) => e.separator)).toHaveLength(1);
    expect(elementsOf(card, "TextBlock")).toEqual([]);
  });

  it("a link is only ever http(s)", () => {
    const doc: MessageDoc = {
      summary: "x",
      blocks: [{ type: "list", items: [{ text: "Call", url: "javascript:alert(1)" }] }],
    };
    expect(JSON.stringify(renderCards(doc))).not.toContain("javascript:");
  });

  it("control characters and direction overrides are removed from user text", () => {
    const [card] = renderCards({
      summary: "x",
      blocks: [{ type: "text", text: "a\u202Eevil\u0007b" }],
    });
    expect(runsOf(card)).toEqual(["aevilb"]);
  });

  it("Markdown, mentions, bidi marks and isolates typed by a person arrive as one literal TextRun", () => {
    const typed = "**bold** _it_ ~~s~~ `code` [x](https://evil.example) <at>Sara</at>";
    const [card] = renderCards({
      summary: "x",
      blocks: [
        {
          type: "fields",
          fields: [
            { label: "Title", value: `${typed}\u2066\u2069\u200F\u061C\u001b[2J\u009b\uD800` },
          ],
        },
      ],
    });
    expect(card?.body).toEqual([
      {
        type: "RichTextBlock",
        spacing: "Small",
        inlines: [
          { type: "TextRun", text: "Title: ", weight: "Bolder" },
          { type: "TextRun", text: `${typed}[2J` },
        ],
      },
    ]);
    expect(JSON.stringify(card)).not.toMatch(/"type":"TextBlock"|"entities"/);
  });

  it("a long reply is split into several cards, each under Teams' size limit", () => {
    const items = Array.from({ length: 400 }, (_, i) => ({
      text: `TIIWG-${i + 1} · ${"Long commitment title ".repeat(4)}`,
      detail: "In progress · Due: Q1 2018 · ProMéxico (Mexico)",
    }));
    const cards = renderCards({ summary: "All", blocks: [{ type: "list", title: "All", items }] });
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards)
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const all = cards.flatMap(runsOf);
    expect(all.filter((t) => t.startsWith("• "))).toHaveLength(400);
    expect(all.at(-2)).toContain("TIIWG-400");
  });

  it("buttons: Mark done and Confirm act through Universal Actions, Add a note opens a dialog", () => {
    const [card] = renderCards({
      summary: "x",
      blocks: [
        {
          type: "actions",
          actions: [
            { id: "item.done", label: "Marcar como hecho", value: "TIIWG-1", style: "primary" },
            { id: "item.snooze", label: "Posponer", value: "TIIWG-1" },
            { id: "decision.confirm", label: "Confirmar", value: "TIIWG-D1", style: "danger" },
            { id: "item.note", label: "Agregar nota", value: "TIIWG-1" },
          ],
        },
      ],
    });
    expect(card!.body[0]?.actions).toEqual([
      {
        type: "Action.Execute",
        title: "Marcar como hecho",
        verb: "item.done",
        data: { ref: "TIIWG-1" },
        style: "positive",
      },
      { type: "Action.Execute", title: "Posponer", verb: "item.snooze", data: { ref: "TIIWG-1" } },
      {
        type: "Action.Execute",
        title: "Confirmar",
        verb: "decision.confirm",
        data: { ref: "TIIWG-D1" },
        style: "destructive",
      },
      {
        type: "Action.Submit",
        title: "Agregar nota",
        data: { msteams: { type: "task/fetch" }, cmpForm: "note", cmpContext: { ref: "TIIWG-1" } },
      },
    ]);
  });
});

const addForm: FormDoc = {
  id: "add",
  title: "Nouvel engagement",
  submitLabel: "Enregistrer",
  context: { source: "x" },
  fields: [
    {
      name: "group",
      label: "Groupe de travail",
      kind: "select",
      required: true,
      options: [{ value: "TIIWG", label: "TIIWG — Commerce" }],
      initial: "TIIWG",
    },
    { name: "title", label: "Titre", kind: "text", required: true, maxLength: 200 },
    {
      name: "timeline",
      label: "Échéancier",
      kind: "text",
      required: false,
      hint: "p. ex. 2018-T1",
    },
    { name: "tentative", label: "Provisoire", kind: "checkbox", required: false },
    { name: "description", label: "Description", kind: "multiline", required: false },
  ],
};

describe("forms as dialog cards", () => {
  it("one labelled input per field, and a submit button that carries the form", () => {
    const card = renderFormCard(addForm, {
      lang: "fr",
      requiredMessage: "Ce champ est obligatoire.",
    });
    expect(card.body.map((e) => [e.type, e.id])).toEqual([
      ["Input.ChoiceSet", "group"],
      ["Input.Text", "title"],
      ["Input.Text", "timeline"],
      ["Input.Toggle", "tentative"],
      ["Input.Text", "description"],
    ]);
    expect(card.body[1]).toMatchObject({
      label: "Titre",
      isRequired: true,
      errorMessage: "Ce champ est obligatoire.",
      maxLength: 200,
    });
    expect(card.body[2]).toMatchObject({ placeholder: "p. ex. 2018-T1", isRequired: false });
    expect(card.body[3]).toMatchObject({
      title: "Provisoire",
      valueOn: "true",
      valueOff: "false",
      value: "false",
    });
    expect(card.body[4]).toMatchObject({ isMultiline: true });
    expect(card.actions).toEqual([
      {
        type: "Action.Submit",
        title: "Enregistrer",
        style: "positive",
        data: { cmpForm: "add", cmpContext: { source: "x" }, cmpLang: "fr" },
      },
    ]);
  });

  it("an error goes under its field; one without a field goes on top", () => {
    const onField = renderFormCard(addForm, {
      lang: "en",
      requiredMessage: "Required",
      error: {
        field: "timeline",
        message: "I could not read the timeline “soon”.",
        example: "Example: 2018-Q1",
      },
    });
    const timeline = onField.body.findIndex((e) => e.id === "timeline");
    expect(runsOf({ body: onField.body.slice(timeline + 1, timeline + 3) })).toEqual([
      "I could not read the timeline “soon”.",
      "Example: 2018-Q1",
    ]);
    const general = renderFormCard(addForm, {
      lang: "en",
      requiredMessage: "Required",
      error: { message: "Nope", example: null, field: null },
    });
    expect(runsOf({ body: [general.body[0]] })).toEqual(["Nope"]);
  });

  it("a launcher card opens the form through task/fetch", () => {
    const card = formLauncherCard(addForm, "Ouvrir le formulaire", "fr");
    expect(runsOf(card)).toEqual(["Nouvel engagement"]);
    expect(card.actions?.[0]).toMatchObject({
      type: "Action.Submit",
      data: { msteams: { type: "task/fetch" }, cmpForm: "add" },
    });
  });

  it("reads a submission back: inputs by name, our keys apart, anything else ignored", () => {
    expect(
      readSubmission({
        cmpForm: "decide",
        cmpContext: { ref: "TIIWG-1", nested: { no: 1 } },
        cmpLang: "es",
        msteams: { type: "task/fetch" },
        group: "TIIWG",
        text: "Acordamos",
        extra: 42,
      }),
    ).toEqual({
      form: "decide",
      context: { ref: "TIIWG-1" },
      lang: "es",
      values: { group: "TIIWG", text: "Acordamos" },
    });
    expect(readSubmission({ cmpForm: "delete-everything" })).toBeNull();
    expect(readSubmission("nope")).toBeNull();
    expect(readSubmission({ cmpForm: "note", cmpLang: "de" })?.lang).toBeUndefined();
  });
});
