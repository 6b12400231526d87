import { createServer, type Server } from "node:http";

// The remote side of the benchmark on loopback: Slack's Web API (auth.test, users.info,
// chat.post*), its response_url (POST /response/<id>), and the Bot Framework connector Teams
// replies go to (POST /v3/conversations/…). It answers at once and counts replies: when each
// request id was sent (set by the load generator) and when its reply arrived.

export interface StandIn {
  url: string;
  /** Records when the request with this id left the load generator. */
  sent(id: string, at: number): void;
  /** A reply that came back in the ack itself. */
  answeredInAck(id: string, at: number, body: string): void;
  /** Requests sent whose reply has not come yet. */
  pending(): number;
  /** Milliseconds from request to reply, for every reply so far; and replies that said "busy". */
  drain(): { times: number[]; busy: number; replies: number };
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const sentAt = new Map<string, number>();
  let times: number[] = [];
  let busy = 0;
  let replies = 0;

  const record = (id: string, at: number, body: string) => {
    replies += 1;
    if (body.includes("busy") || body.includes("ocupado") || body.includes("occupé")) busy += 1;
    const start = sentAt.get(id);
    if (start !== undefined) {
      times.push(at - start);
      sentAt.delete(id);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "/";
      const json = (value: object) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (url.startsWith("/response/")) {
        record(decodeURIComponent(url.slice("/response/".length)), performance.now(), body);
        return json({ ok: true });
      }
      if (url.startsWith("/v3/conversations/")) {
        // Teams: the reply's replyToId is the activity id the load generator chose.
        const match = /\/activities\/([^/?]+)/.exec(url);
        if (match?.[1]) record(decodeURIComponent(match[1]), performance.now(), body);
        return json({ id: `r${replies}` });
      }
      const method = url.replace(/^\/api\//, "").split("?")[0];
      if (method === "auth.test") return json({ ok: true, user_id: "UBOT", bot_id: "BBOT" });
      if (method === "users.info")
        return json({
          ok: true,
          user: {
            id: "U0BENCH",
            name: "bench",
            real_name: "Bench Admin",
            tz: "America/Toronto",
            locale: "en-US",
            profile: { display_name: "Bench Admin" },
          },
        });
      return json({ ok: true, ts: `${Date.now() / 1000}`, channel: "C0BENCH" });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: (id, at) => sentAt.set(id, at),
    answeredInAck: (id, at, body) => record(id, at, body),
    pending: () => sentAt.size,
    drain() {
      const out = { times, busy, replies };
      times = [];
      busy = 0;
      replies = 0;
      sentAt.clear();
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
