import type { types } from "@slack/bolt";
import { inertText } from "../../core/render/inert.js";
import { httpUrl } from "../../core/render/links.js";
import type {
  ActionButton,
  Block,
  FormDoc,
  FormField,
  ListItem,
  MessageDoc,
} from "../../core/render/message.js";

// MessageDoc → Block Kit, and FormDoc → modal. Pure functions.
//
// Every string of a MessageDoc may hold user text, and Slack documents no way to escape mrkdwn's
// `*bold*`, `_italic_`, `~strike~` or `` `code` `` (only `&`, `<` and `>`). So all of it travels
// in `plain_text` objects, which Slack never formats: a title shows exactly as typed. The only
// mrkdwn we send is a bare `<url>` link under an item (a link needs mrkdwn), which carries no user
// text besides the already-encoded URL. Every string is also made inert (control and bidi
// characters removed) and escaped (`&`, `<`, `>`), and nothing sets `link_names` or `parse`, so
// `<!channel>`, `<@U1>`, `<https://x|y>` and a plain `@channel` all stay words.

/** Slack's documented limits that shape a message or a modal. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonsPerBlock: 25,
  fallbackText: 3000,
  modalTitle: 24,
  modalButton: 24,
  modalBlocks: 100,
  inputLabel: 2000,
  inputHint: 2000,
  textInput: 3000,
  optionText: 75,
  options: 100,
  privateMetadata: 3000,
} as const;

export interface SlackMessage {
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks: types.KnownBlock[];
}

/** Inert text with Slack's three reserved characters as entities. */
export function escapeSlack(text: string): string {
  return inertText(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Escapes, then cuts (with "…") so the escaped text fits `max`; never splits an entity or a character. */
export function fitEscaped(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const char of inertText(text)) {
    const piece = escapeSlack(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Cuts already-escaped text into pieces of at most `max`, at a line break or space if it can. */
export function splitEscaped(escaped: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(" "));
    // Do not cut inside an entity such as "&amp;".
    const amp = window.lastIndexOf("&");
    if (cut < max / 2) cut = amp > window.length - 5 && amp > 0 ? amp : max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

function link(url: string): types.MrkdwnElement {
  return { type: "mrkdwn", text: `<${url}>`, verbatim: true };
}

/** Already-escaped text as a text object Slack shows literally. */
function literal(escaped: string): types.PlainTextElement {
  return { type: "plain_text", text: escaped || " ", emoji: true };
}

function plain(text: string, max: number): types.PlainTextElement {
  return literal(fitEscaped(text, max));
}

/** Only http(s) links, with the characters that end a Slack link encoded. */
function safeUrl(url: string | undefined): string | null {
  const href = httpUrl(url);
  return href ? escapeSlack(href.replaceAll("|", "%7C")) : null;
}

function button(action: ActionButton): types.Button {
  return {
    type: "button",
    action_id: action.id,
    text: plain(action.label, SLACK_LIMITS.buttonText),
    value: action.value,
    ...(action.style ? { style: action.style } : {}),
  };
}

function itemText(item: ListItem): string {
  return `• ${escapeSlack(item.text)}${item.detail ? `\n${escapeSlack(item.detail)}` : ""}`;
}

/** Blocks that must travel in the same message (an item and its buttons). */
type Unit = types.KnownBlock[];

function sections(escaped: string): Unit[] {
  return splitEscaped(escaped, SLACK_LIMITS.sectionText).map((piece) => [
    { type: "section", text: literal(piece) },
  ]);
}

/** The item's link on its own line under it; an unsafe or over-long URL is left out. */
function linkBlocks(item: ListItem): types.KnownBlock[] {
  const url = safeUrl(item.url);
  return url && url.length + 2 <= SLACK_LIMITS.sectionText
    ? [{ type: "context", elements: [link(url)] }]
    : [];
}

function listUnits(block: Extract<Block, { type: "list" }>): Unit[] {
  const units: Unit[] = [];
  let lines: string[] = block.title ? [escapeSlack(block.title)] : [];
  const flush = () => {
    if (lines.length > 0) units.push(...packLines(lines));
    lines = [];
  };
  if (block.items.length === 0 && block.empty) lines.push(escapeSlack(block.empty));
  for (const item of block.items) {
    const actions = item.actions ?? [];
    const links = linkBlocks(item);
    if (actions.length === 0 && links.length === 0) {
      lines.push(itemText(item));
      continue;
    }
    flush();
    if (actions.length === 0) {
      units.push(...sections(itemText(item)).map((unit) => [...unit, ...links]));
      continue;
    }
    const [first] = actions;
    const text = splitEscaped(itemText(item), SLACK_LIMITS.sectionText);
    const head = text.slice(0, -1).map(
      (piece): types.KnownBlock => ({
        type: "section",
        text: literal(piece),
      }),
    );
    const last = text[text.length - 1] ?? " ";
    // One button fits beside the text; more go in an actions block under it.
    units.push(
      actions.length === 1 && first
        ? [...head, { type: "section", text: literal(last), accessory: button(first) }, ...links]
        : [
            ...head,
            { type: "section", text: literal(last) },
            ...links,
            ...chunk(actions, SLACK_LIMITS.buttonsPerBlock).map(
              (group): types.KnownBlock => ({ type: "actions", elements: group.map(button) }),
            ),
          ],
    );
  }
  flush();
  return units;
}

/** Joins lines into as few sections as the 3,000-character limit allows. */
function packLines(lines: string[]): Unit[] {
  const units: Unit[] = [];
  let current = "";
  for (const line of lines) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= SLACK_LIMITS.sectionText) {
      current = joined;
      continue;
    }
    if (current) units.push(...sections(current));
    current = line;
  }
  if (current) units.push(...sections(current));
  return units;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function blockUnits(block: Block): Unit[] {
  switch (block.type) {
    case "header":
      return [[{ type: "header", text: plain(block.text, SLACK_LIMITS.headerText) }]];
    case "text":
      return sections(escapeSlack(block.text));
    case "context":
      return splitEscaped(escapeSlack(block.text), SLACK_LIMITS.sectionText).map((piece) => [
        { type: "context", elements: [literal(piece)] },
      ]);
    case "fields":
      return chunk(block.fields, SLACK_LIMITS.fieldsPerSection).map((group) => [
        {
          type: "section",
          fields: group.map((f) =>
            literal(
              `${fitEscaped(f.label, 200)}\n${fitEscaped(f.value, SLACK_LIMITS.fieldText - 210)}`,
            ),
          ),
        },
      ]);
    case "list":
      return listUnits(block);
    case "actions":
      return chunk(block.actions, SLACK_LIMITS.buttonsPerBlock).map((group) => [
        { type: "actions", elements: group.map(button) },
      ]);
    case "divider":
      return [[{ type: "divider" }]];
  }
}

/**
 * One document as one or more Slack messages: never more than 50 blocks, never a section over
 * 3,000 characters. The caller posts the first and the rest after it (in its thread, where
 * the surface has threads).
 */
export function toSlackMessages(doc: MessageDoc): SlackMessage[] {
  const groups: types.KnownBlock[][] = [[]];
  for (const unit of doc.blocks.flatMap(blockUnits)) {
    const current = groups[groups.length - 1] as types.KnownBlock[];
    if (current.length > 0 && current.length + unit.length > SLACK_LIMITS.blocksPerMessage)
      groups.push([...unit]);
    else current.push(...unit);
  }
  const summary = doc.summary.trim() || " ";
  return groups.map((blocks, index) => ({
    text:
      groups.length === 1
        ? fitEscaped(summary, SLACK_LIMITS.fallbackText)
        : fitEscaped(`${summary} (${index + 1}/${groups.length})`, SLACK_LIMITS.fallbackText),
    blocks,
  }));
}

/** Slack's limit on a Home tab view. */
const HOME_VIEW_BLOCKS = 100;

/**
 * A document as the App Home tab (`views.publish`): one view of at most 100 blocks. The core
 * keeps the page short (each list capped); this only guards the limit.
 */
export function toHomeView(doc: MessageDoc): types.HomeView {
  const blocks = doc.blocks.flatMap(blockUnits).flat().slice(0, HOME_VIEW_BLOCKS);
  return { type: "home", blocks };
}

const converted = new WeakMap<MessageDoc, SlackMessage[]>();

/** A reply the core shares between readers (a cached `status`, frozen) is converted once. */
export function sharedSlackMessages(doc: MessageDoc): SlackMessage[] {
  if (!Object.isFrozen(doc)) return toSlackMessages(doc);
  const kept = converted.get(doc);
  if (kept) return kept;
  const messages = toSlackMessages(doc);
  converted.set(doc, messages);
  return messages;
}

/** The callback_id of every modal this bot opens; the form's id travels in private_metadata. */
export const FORM_CALLBACK_ID = "cmp_form";

function inputElement(field: FormField): types.InputBlockElement {
  const id = field.name;
  if (field.kind === "select") {
    const options = (field.options ?? []).slice(0, SLACK_LIMITS.options).map((o) => ({
      text: plain(o.label, SLACK_LIMITS.optionText),
      value: o.value,
    }));
    // Slack refuses a view whose initial option is not one of its options.
    const initial = options.find((o) => o.value === field.initial);
    return {
      type: "static_select",
      action_id: id,
      options,
      ...(initial ? { initial_option: initial } : {}),
    };
  }
  if (field.kind === "checkbox") {
    const option = { text: plain(field.label, SLACK_LIMITS.optionText), value: "true" };
    return {
      type: "checkboxes",
      action_id: id,
      options: [option],
      ...(field.initial === "true" ? { initial_options: [option] } : {}),
    };
  }
  const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.textInput, SLACK_LIMITS.textInput);
  // An input's value is not rendered text: it is shown as is, so it is not escaped.
  const initial = field.initial ? field.initial.slice(0, maxLength) : "";
  return {
    type: "plain_text_input",
    action_id: id,
    multiline: field.kind === "multiline",
    max_length: maxLength,
    ...(initial ? { initial_value: initial } : {}),
  };
}

/** A form as a modal; `metadata` is the encoded FormMetadata. */
export function formToModal(
  form: FormDoc,
  metadata: string,
  labels: { close: string },
): types.ModalView {
  if (metadata.length > SLACK_LIMITS.privateMetadata)
    throw new Error(`private_metadata is ${metadata.length} characters, over Slack's limit`);
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: plain(form.title, SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
    close: plain(labels.close, SLACK_LIMITS.modalButton),
    private_metadata: metadata,
    blocks: form.fields.slice(0, SLACK_LIMITS.modalBlocks).map(
      (field): types.InputBlock => ({
        type: "input",
        block_id: field.name,
        label: plain(field.label, SLACK_LIMITS.inputLabel),
        optional: !field.required,
        element: inputElement(field),
        ...(field.hint ? { hint: plain(field.hint, SLACK_LIMITS.inputHint) } : {}),
      }),
    ),
  };
}

/** Context entries that are also fields travel as the fields' values, not in the metadata. */
export function formContext(form: FormDoc): Record<string, string> {
  const fieldNames = new Set(form.fields.map((f) => f.name));
  return Object.fromEntries(Object.entries(form.context).filter(([k]) => !fieldNames.has(k)));
}

/**
 * A refusal shown on the modal field it concerns: `response_action: "errors"` is keyed by the
 * input's block_id. An error tied to no field of this form is shown on the first one.
 */
export function fieldErrors(
  blockIds: string[],
  field: string | null,
  message: string,
): { response_action: "errors"; errors: Record<string, string> } {
  const target = field && blockIds.includes(field) ? field : (blockIds[0] ?? field ?? "form");
  return { response_action: "errors", errors: { [target]: message } };
}
