import type { CommandName } from "../commands/names.js";

// The platform-neutral reply. Every string in it is final, localized plain text: renderers
// escape all of it for their platform, so user text can never become markup or a mention.

export interface ActionButton {
  /** Stable id the adapters route on, e.g. "item.done". */
  id: ButtonId;
  label: string;
  /** What the action acts on, e.g. "TIIWG-7". */
  value: string;
  style?: "primary" | "danger";
}

export type ButtonId =
  | "item.done"
  | "item.note"
  | "item.add_note"
  | "item.snooze"
  | "decision.confirm"
  | "me.settings";

/** What each button does: runs a verb on its value, or opens a form about it. */
export const BUTTONS: Readonly<Record<ButtonId, { verb: CommandName } | { form: FormId }>> = {
  "item.done": { verb: "done" },
  "item.note": { form: "note" },
  // Its value carries the item and the text a thread reply offered as a note (note-offer.ts).
  "item.add_note": { verb: "update" },
  "item.snooze": { verb: "snooze" },
  "decision.confirm": { verb: "confirm" },
  // About the person who clicks, whatever the value: their own settings (home's prefs form).
  "me.settings": { form: "prefs" },
};

export interface Field {
  label: string;
  value: string;
}

export interface ListItem {
  text: string;
  detail?: string;
  /** Optional link target for the item (a permalink, a call link). */
  url?: string;
  actions?: ActionButton[];
}

export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "fields"; fields: Field[] }
  | { type: "list"; title?: string; items: ListItem[]; empty?: string }
  | { type: "context"; text: string }
  | { type: "actions"; actions: ActionButton[] }
  | { type: "divider" };

export interface MessageDoc {
  /** One-line summary: notifications, screen readers, platforms' fallback text. */
  summary: string;
  blocks: Block[];
}

export type Visibility = "ephemeral" | "in_channel";

export interface FormField {
  name: string;
  label: string;
  kind: "text" | "multiline" | "select" | "checkbox";
  required: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  initial?: string;
  maxLength?: number;
}

/** A form the platform shows as a modal, a task module or a card (add, decide, note). */
export interface FormDoc {
  id: FormId;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque context carried through the platform and back on submit. */
  context: Record<string, string>;
}

/** Every form, as adapters check an id that travelled through the platform and back. */
export const FORM_IDS = ["add", "decide", "note", "prefs"] as const;
export type FormId = (typeof FORM_IDS)[number];

export type Reply =
  | {
      kind: "message";
      visibility: Visibility;
      doc: MessageDoc;
      /** For the person alone: where replies are seen by all, it goes to their direct messages. */
      personal?: boolean;
    }
  | { kind: "form"; form: FormDoc }
  | {
      kind: "file";
      visibility: Visibility;
      filename: string;
      mimeType: string;
      /** Text (CSV, Markdown, HTML) or bytes (XLSX, PDF). */
      content: string | Uint8Array;
      doc: MessageDoc;
    };

/** Stacks one document per language into one, each section readable on its own. */
export function stackLanguages(docs: MessageDoc[]): MessageDoc {
  const blocks: Block[] = [];
  docs.forEach((doc, index) => {
    if (index > 0) blocks.push({ type: "divider" });
    blocks.push(...doc.blocks);
  });
  return { summary: docs.map((d) => d.summary).join(" / "), blocks };
}
