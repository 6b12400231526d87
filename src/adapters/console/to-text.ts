import { inertText } from "../../core/render/inert.js";
import type { Block, FormDoc, MessageDoc } from "../../core/render/message.js";

// Plain-text rendering for the terminal. User text may carry terminal escape sequences (ESC,
// the 8-bit CSI) or bidi overrides; inertText removes them so a title cannot repaint the
// reader's screen or read backwards.

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [block.text, "=".repeat(Math.min(block.text.length, 72))];
    case "text":
      return [block.text];
    case "context":
      return [`  ${block.text}`];
    case "fields":
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case "list": {
      const lines = block.title ? [`${block.title}:`] : [];
      if (block.items.length === 0 && block.empty) lines.push(`  ${block.empty}`);
      for (const item of block.items) {
        lines.push(`  • ${item.text}`);
        if (item.detail) lines.push(`    ${item.detail}`);
        // A link that is the line itself is not printed twice.
        if (item.url && item.url !== item.text) lines.push(`    ${item.url}`);
      }
      return lines;
    }
    case "actions":
      return [block.actions.map((a) => `[${a.label}]`).join(" ")];
    case "divider":
      return ["—".repeat(24)];
  }
}

export function renderText(doc: MessageDoc): string {
  return inertText(doc.blocks.flatMap(renderBlock).join("\n"));
}

export function renderFormAsText(form: FormDoc, hint: string): string {
  return inertText(
    [form.title, ...form.fields.map((f) => `  - ${f.label}${f.required ? " *" : ""}`), hint].join(
      "\n",
    ),
  );
}
