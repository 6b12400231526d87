// Reading what the bot sent to Slack, the way a test wants to check it.

/** Every `text` string anywhere in a Block Kit payload, in order. */
export function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (!value || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === "text" && typeof inner === "string") out.push(inner);
    else out.push(...textsOf(inner));
  }
  return out;
}

/** All text of a payload joined, for `toContain` checks. */
export function allText(value: unknown): string {
  return textsOf(value).join("\n");
}

/** Every text object (`{ type, text }`) in a payload. */
export function textObjects(value: unknown): { type: string; text: string; verbatim?: boolean }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!value || typeof value !== "object") return [];
  const obj = value as Record<string, unknown>;
  const own =
    (obj.type === "mrkdwn" || obj.type === "plain_text") && typeof obj.text === "string"
      ? [obj as { type: string; text: string; verbatim?: boolean }]
      : [];
  return [...own, ...Object.values(obj).flatMap(textObjects)];
}

/** The buttons in a payload, as action_id → value. */
export function buttonsOf(value: unknown): { action_id: string; value: string }[] {
  if (Array.isArray(value)) return value.flatMap(buttonsOf);
  if (!value || typeof value !== "object") return [];
  const obj = value as Record<string, unknown>;
  const own = obj.type === "button" ? [obj as { action_id: string; value: string }] : [];
  return [...own, ...Object.values(obj).flatMap(buttonsOf)];
}
