// The floors the bot is measured against, each in its own process like the bot:
//   slack <port> <sqlite file>  a bare Bolt app (same Bolt, same HTTP server kind, the same
//                               timestamp check) whose /cmp writes one row to SQLite (WAL) and acks
//   teams <port>                a botbuilder CloudAdapter bot that only replies
// Started by bench/run.ts; prints "ready" when listening.

import { App as BoltApp, HTTPReceiver } from "@slack/bolt";
import SqliteDatabase from "better-sqlite3";
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import pino from "pino";
import { SLACK_EVENTS_PATH } from "../src/adapters/slack/surface.js";
import { requestTimestampProblem } from "../src/adapters/slack/transport.js";
import { createHttpServer } from "../src/http/server.js";

// The same secret as bench/run.ts signs with.
const BENCH_SECRET = "bench-signing-secret";

const [kind, portText, file] = process.argv.slice(2);
const http = createHttpServer(pino({ level: "silent" }));

if (kind === "slack") {
  const db = new SqliteDatabase(file ?? ":memory:");
  db.pragma("journal_mode = WAL");
  db.exec("create table if not exists hits (id integer primary key, text text, at text)");
  const insert = db.prepare("insert into hits (text, at) values (?, ?)");
  const receiver = new HTTPReceiver({ signingSecret: BENCH_SECRET, endpoints: SLACK_EVENTS_PATH });
  const bolt = new BoltApp({ token: "xoxb-floor", botId: "B0", botUserId: "U0", receiver });
  bolt.command("/cmp", async ({ command, ack }) => {
    insert.run(command.text, new Date().toISOString());
    await ack();
  });
  http.route("POST", SLACK_EVENTS_PATH, (req, res) => {
    if (requestTimestampProblem(req.headers["x-slack-request-timestamp"], Date.now())) {
      res.writeHead(401).end();
      return;
    }
    receiver.requestListener(req, res);
  });
} else if (kind === "teams") {
  // No app id: unauthenticated, as the bot runs here (TEAMS_ALLOW_UNAUTHENTICATED).
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity("ok");
    await next();
  });
  http.route("POST", "/api/messages", async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let status = 200;
    await adapter.process(
      {
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        headers: req.headers,
        method: "POST",
      },
      {
        socket: res.socket,
        status: (code: number) => {
          status = code;
        },
        header: () => {},
        send: () => {},
        end: () => {
          if (!res.writableEnded) res.writeHead(status).end();
        },
      },
      (context) => bot.run(context),
    );
  });
} else {
  throw new Error("usage: floor.ts slack|teams <port> [sqlite file]");
}

await http.listen(Number(portText), "127.0.0.1");
console.log("ready");
