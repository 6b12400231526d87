/**
 * A link a reply may carry: http or https only, normalised by the URL parser. Anything else
 * (javascript:, data:, a malformed string) is no link at all, on every platform.
 */
export function httpUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
