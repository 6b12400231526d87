import { BotError } from "../errors.js";
import { canNote } from "../policy.js";
import type { Reply } from "../render/message.js";
import type { ItemRef } from "../schedule/types.js";
import { itemRef, LIMITS } from "../tracker/rules.js";
import { type CommandContext, message } from "./command.js";

// A reply in a commitment's thread (issue 13): the bot never adds it by itself; it offers the
// person who wrote it a button that adds it as a note, with their rights at the time of the click.

/** The button's value: the item, a line break, then the text (Slack keeps 2,000 characters). */
const MAX_VALUE = 2000;

export function offerValue(ref: string, text: string): string {
  return `${ref}\n${text}`;
}

/** The item and the text a "Add as note" button carries; null when it is not one we made. */
export function readOfferValue(value: string): { ref: string; text: string } | null {
  const cut = value.indexOf("\n");
  if (cut < 0) return null;
  const text = value.slice(cut + 1).trim();
  return text ? { ref: value.slice(0, cut), text } : null;
}

/**
 * The offer, for the writer alone. Refuses (the adapter then stays silent) when the item is gone
 * or closed, when the writer may not add notes to it, or when the text cannot be a note.
 */
export async function offerNote(ctx: CommandContext, found: ItemRef, text: string): Promise<Reply> {
  const group = await ctx.store.groups.byId(found.groupId);
  const item = group ? await ctx.store.commitments.byNumber(group.id, found.number) : null;
  const note = text.trim();
  if (!group || !item || item.closedAt || !canNote(ctx.actor, group, item))
    throw new BotError("errors:members_only", { code: group?.code ?? "" });
  const ref = itemRef(item);
  const value = offerValue(ref, note);
  if (!note || note.length > LIMITS.note || value.length > MAX_VALUE)
    throw new BotError("errors:note_needed", {});
  const { l } = ctx;
  const question = l.t("schedule:thread.offer", { ref });
  return message("ephemeral", question, [
    { type: "text", text: question },
    { type: "context", text: note },
    {
      type: "actions",
      actions: [
        {
          id: "item.add_note",
          label: l.t("schedule:thread.offer_button"),
          value,
          style: "primary",
        },
      ],
    },
    { type: "context", text: l.t("schedule:thread.offer_hint") },
  ]);
}
