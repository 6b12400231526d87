// Fetching a file a person attached in chat (an edited tracker to import): bounded in size and
// time, never following redirects to somewhere the adapter did not allow.

export async function downloadLimited(
  url: string,
  options: { maxBytes: number; timeoutMs: number; headers?: Record<string, string> },
): Promise<Uint8Array> {
  const res = await fetch(url, {
    headers: options.headers,
    redirect: "error",
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  if (!res.ok || !res.body) throw new Error(`download answered HTTP ${res.status}`);
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > options.maxBytes) throw new Error("file larger than allowed");
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > options.maxBytes) throw new Error("file larger than allowed");
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
