import { inertText } from "../../core/render/inert.js";
import { httpUrl } from "../../core/render/links.js";
import {
  type ActionButton,
  type Block,
  BUTTONS,
  FORM_IDS,
  type FormDoc,
  type FormId,
  type ListItem,
  type MessageDoc,
} from "../../core/render/message.js";
import type { Refused } from "../../core/router.js";
import { LANGUAGES, type Language } from "../../core/tracker/types.js";

// MessageDoc / FormDoc → Adaptive Card 1.5 JSON. Pure.
//
// Every string of a MessageDoc may hold user text, so all of it goes into TextRuns of
// RichTextBlocks: the Adaptive Card schema does not parse Markdown in a TextRun (it does in a
// TextBlock and in FactSet facts), and no card we send carries `msteams.entities`, without
// which Teams never turns "<at>…</at>" into a mention. User text is therefore inert by
// construction, with no escaping to get wrong: Teams clients disagree on backslash escapes
// (microsoft/AdaptiveCards#5590, MicrosoftDocs/msteams-docs#5793).

export type CardElement = { type: string; [property: string]: unknown };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  lang?: string;
  fallbackText?: string;
  msteams?: { width: "Full" };
  refresh?: { action: { type: "Action.Execute"; verb: string }; userIds: string[] };
}

/** The Universal Actions verb Teams sends when a person views their page: it is drawn again. */
export const HOME_REFRESH_VERB = "home.refresh";

/**
 * A personal page that Teams redraws for its viewer each time they look at it (Universal
 * Actions `refresh`, for the listed users: Teams allows at most 60 of them).
 */
export function refreshedFor(cards: AdaptiveCard[], userId: string): AdaptiveCard[] {
  return cards.map((c) => ({
    ...c,
    refresh: { action: { type: "Action.Execute", verb: HOME_REFRESH_VERB }, userIds: [userId] },
  }));
}

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

/** Teams refuses bot messages over about 28 KB; the margin covers the activity around the card. */
export const CARD_BUDGET_BYTES = 24_000;

/** Keys our cards put in Action.Submit data; input ids are form field names and never start so. */
export const FORM_KEY = "cmpForm";
export const CONTEXT_KEY = "cmpContext";
export const LANG_KEY = "cmpLang";
const DELIVERY_ID_PREFIX = "cmp-delivery-";

function run(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: "TextRun", text: inertText(text), ...style };
}

/** One RichTextBlock per line: a TextRun keeps no line breaks of its own. */
function paragraphs(
  text: string,
  style: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): CardElement[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  return (lines.length > 0 ? lines : [text]).map((line, index) => ({
    type: "RichTextBlock",
    inlines: [run(line, style)],
    ...(index > 0 ? { spacing: "None" } : extra),
  }));
}

/** A button: Universal Actions (Action.Execute) act and update the card in place. */
export function buttonAction(button: ActionButton): CardElement {
  const action = BUTTONS[button.id];
  if ("form" in action) {
    // A form needs text boxes: the button opens a dialog (task module) instead.
    return {
      type: "Action.Submit",
      title: inertText(button.label),
      data: {
        msteams: { type: "task/fetch" },
        [FORM_KEY]: action.form,
        [CONTEXT_KEY]: { ref: button.value },
      },
    };
  }
  return {
    type: "Action.Execute",
    title: inertText(button.label),
    verb: button.id,
    data: { ref: button.value },
    ...(button.style ? { style: button.style === "primary" ? "positive" : "destructive" } : {}),
  };
}

function listItem(item: ListItem): CardElement {
  const url = httpUrl(item.url);
  const items: CardElement[] = [
    {
      type: "RichTextBlock",
      inlines: [
        run(`• ${item.text}`, url ? { selectAction: { type: "Action.OpenUrl", url } } : {}),
      ],
    },
  ];
  if (item.detail)
    items.push(...paragraphs(item.detail, { isSubtle: true, size: "Small" }, { spacing: "None" }));
  if (url)
    items.push({
      type: "RichTextBlock",
      spacing: "None",
      inlines: [
        run(url, { size: "Small", color: "Accent", selectAction: { type: "Action.OpenUrl", url } }),
      ],
    });
  if (item.actions?.length)
    items.push({ type: "ActionSet", actions: item.actions.map(buttonAction) });
  return { type: "Container", spacing: "Small", items };
}

function blockElements(block: Block): CardElement[] {
  switch (block.type) {
    case "header":
      return paragraphs(block.text, { size: "Large", weight: "Bolder" });
    case "text":
      return paragraphs(block.text);
    case "context":
      return paragraphs(block.text, { isSubtle: true, size: "Small" });
    case "fields":
      return block.fields.map((field) => ({
        type: "RichTextBlock",
        spacing: "Small",
        inlines: [run(`${field.label}: `, { weight: "Bolder" }), run(field.value)],
      }));
    case "list": {
      const elements: CardElement[] = [];
      if (block.title) elements.push(...paragraphs(block.title, { weight: "Bolder" }));
      if (block.items.length === 0 && block.empty)
        elements.push(...paragraphs(block.empty, { isSubtle: true }));
      elements.push(...block.items.map(listItem));
      return elements;
    }
    case "actions":
      return [{ type: "ActionSet", actions: block.actions.map(buttonAction) }];
    case "divider":
      return [];
  }
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

function card(body: CardElement[], lang?: Language): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: "1.5",
    body,
    ...(lang ? { lang } : {}),
    msteams: { width: "Full" },
  };
}

/**
 * A reply as one card, or several when it would exceed the size Teams accepts: the split falls
 * between elements, a long list continuing on the next card. `deliveryKey` becomes the id of
 * the first element, so the post carries it where Teams keeps the card.
 */
export function renderCards(
  doc: MessageDoc,
  options: { lang?: Language; deliveryKey?: string; budgetBytes?: number } = {},
): AdaptiveCard[] {
  const budget = options.budgetBytes ?? CARD_BUDGET_BYTES;
  const elements: CardElement[] = [];
  let separate = false;
  for (const block of doc.blocks) {
    if (block.type === "divider") {
      separate = elements.length > 0;
      continue;
    }
    const made = blockElements(block);
    const [first] = made;
    if (separate && first) made[0] = { ...first, separator: true, spacing: "Medium" };
    if (made.length > 0) separate = false;
    elements.push(...made);
  }
  if (elements.length === 0) elements.push(...paragraphs(doc.summary));
  if (options.deliveryKey) {
    const [first] = elements;
    if (first) elements[0] = { ...first, id: `${DELIVERY_ID_PREFIX}${options.deliveryKey}` };
  }
  const cards: AdaptiveCard[] = [];
  let body: CardElement[] = [];
  const empty = bytes(card([], options.lang));
  let size = empty;
  for (const element of elements) {
    const cost = bytes(element) + 1;
    if (body.length > 0 && size + cost > budget) {
      cards.push(card(body, options.lang));
      body = [];
      size = empty;
    }
    body.push(element);
    size += cost;
  }
  cards.push(card(body, options.lang));
  return cards;
}

/** The delivery key a card was posted with, if any (for a later look at what was posted). */
export function deliveryKeyOf(content: unknown): string | null {
  const id = (content as { body?: { id?: unknown }[] } | null)?.body?.[0]?.id;
  return typeof id === "string" && id.startsWith(DELIVERY_ID_PREFIX)
    ? id.slice(DELIVERY_ID_PREFIX.length)
    : null;
}

/** A refusal shown on a form: on its field, or above the form when it names none. */
export type FieldError = Pick<Refused, "field" | "message" | "example">;

function errorElements(error: FieldError): CardElement[] {
  const elements = paragraphs(error.message, { color: "Attention", weight: "Bolder" });
  if (error.example)
    elements.push(
      ...paragraphs(error.example, { color: "Attention", size: "Small" }, { spacing: "None" }),
    );
  return elements;
}

/**
 * A form as the card of a Teams dialog (task module): one input per field, the refusal shown
 * under the field it is about. Its submit button carries the form id, context and language.
 */
export function renderFormCard(
  form: FormDoc,
  options: { lang: Language; requiredMessage: string; error?: FieldError },
): AdaptiveCard {
  const { error } = options;
  const fieldNames = new Set(form.fields.map((f) => f.name));
  const body: CardElement[] = [];
  if (error && !(error.field && fieldNames.has(error.field))) body.push(...errorElements(error));
  for (const field of form.fields) {
    const common = {
      id: field.name,
      label: inertText(field.label),
      isRequired: field.required,
      ...(field.required ? { errorMessage: inertText(options.requiredMessage) } : {}),
    };
    if (field.kind === "select") {
      body.push({
        type: "Input.ChoiceSet",
        ...common,
        style: "compact",
        choices: (field.options ?? []).map((o) => ({ title: inertText(o.label), value: o.value })),
        ...(field.initial ? { value: field.initial } : {}),
      });
    } else if (field.kind === "checkbox") {
      body.push({
        type: "Input.Toggle",
        id: field.name,
        title: inertText(field.label),
        value: field.initial === "true" ? "true" : "false",
        valueOn: "true",
        valueOff: "false",
      });
    } else {
      body.push({
        type: "Input.Text",
        ...common,
        isMultiline: field.kind === "multiline",
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.hint ? { placeholder: inertText(field.hint) } : {}),
        ...(field.initial ? { value: inertText(field.initial) } : {}),
      });
    }
    if (error && error.field === field.name) body.push(...errorElements(error));
  }
  return {
    ...card(body, options.lang),
    actions: [
      {
        type: "Action.Submit",
        title: inertText(form.submitLabel),
        style: "positive",
        data: { [FORM_KEY]: form.id, [CONTEXT_KEY]: form.context, [LANG_KEY]: options.lang },
      },
    ],
  };
}

/** A card with one button that opens the form as a dialog (a message cannot open one itself). */
export function formLauncherCard(form: FormDoc, buttonLabel: string, lang: Language): AdaptiveCard {
  return {
    ...card(paragraphs(form.title, { weight: "Bolder" }), lang),
    actions: [
      {
        type: "Action.Submit",
        title: inertText(buttonLabel),
        data: { msteams: { type: "task/fetch" }, [FORM_KEY]: form.id, [CONTEXT_KEY]: form.context },
      },
    ],
  };
}

/** The invoke answer that shows (or keeps showing) a dialog with a card. */
export function dialog(title: string, content: AdaptiveCard) {
  return {
    task: {
      type: "continue" as const,
      value: {
        title: inertText(title),
        width: "medium" as const,
        card: { contentType: CARD_CONTENT_TYPE, content },
      },
    },
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

export interface Submission {
  form: FormId;
  context: Record<string, string>;
  lang: Language | undefined;
  /** The inputs, by field name. */
  values: Record<string, string>;
}

/**
 * Reads what a dialog or launcher button sent back. Teams merges the button's data with the
 * inputs' values; anything that is not a string of ours or an input is ignored.
 */
export function readSubmission(data: unknown): Submission | null {
  if (!data || typeof data !== "object") return null;
  const record = data as Record<string, unknown>;
  const form = FORM_IDS.find((id) => id === record[FORM_KEY]);
  if (!form) return null;
  const lang = LANGUAGES.find((l) => l === record[LANG_KEY]);
  const values = stringRecord(
    Object.fromEntries(
      Object.entries(record).filter(([key]) => !key.startsWith("cmp") && key !== "msteams"),
    ),
  );
  return { form, context: stringRecord(record[CONTEXT_KEY]), lang, values };
}
