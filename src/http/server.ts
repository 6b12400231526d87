import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { currentRequestId, withRequestId } from "../ops/request-context.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One HTTP server for every platform endpoint (Slack at /slack/events, Teams at /api/messages). */
export interface HttpServer {
  route(method: "GET" | "POST", path: string, handler: RouteHandler): void;
  /** Every path under `prefix` (e.g. "/calendar/"); the rest of the path may be a secret. */
  routePrefix(method: "GET" | "POST", prefix: string, handler: RouteHandler): void;
  /** Listens on `port` (0 picks a free one) and resolves with the port in use. */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops accepting connections, lets requests under way finish for up to `graceMs`, then
   * cuts what is left.
   */
  close(graceMs?: number): Promise<void>;
  readonly server: Server;
}

/** A proxy's request id is kept when it looks like one; anything else gets a fresh id. */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Probes are scraped every few seconds: their lines would drown the requests that matter. */
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

export function createHttpServer(logger: Logger): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const prefixes: { key: string; prefix: string; handler: RouteHandler }[] = [];
  let closing = false;
  routes.set("GET /healthz", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  const server = createServer((req, res) => {
    const given = req.headers["x-request-id"];
    const reqId = typeof given === "string" && REQUEST_ID.test(given) ? given : undefined;
    withRequestId(reqId, () => serve(req, res));
  });

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const exact = routes.get(`${req.method} ${path}`);
    const prefixed = exact
      ? undefined
      : prefixes.find((p) => `${req.method} ${path}`.startsWith(p.key));
    const handler = exact ?? prefixed?.handler;
    // A prefixed route's path may hold a token: the log names the prefix only.
    const logged = prefixed ? `${prefixed.prefix}…` : path;
    res.setHeader("x-request-id", currentRequestId() as string);
    // While draining, a keep-alive client is told to go: its next request finds the door shut.
    if (closing) res.setHeader("connection", "close");
    // One line per request, with the id every other line about it carries too.
    res.on("finish", () => {
      if (QUIET_PATHS.has(path) && res.statusCode < 500) return;
      logger.info(
        {
          method: req.method,
          path: logged,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    (async () => handler(req, res))().catch((error: unknown) => {
      // Details stay in the log; the caller learns only that it failed.
      logger.error({ err: error, path: logged }, "http handler failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      if (!res.writableEnded) res.end("internal error");
    });
  }

  return {
    server,
    route(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    routePrefix(method, prefix, handler) {
      prefixes.push({ key: `${method} ${prefix}`, prefix, handler });
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    },
    close(graceMs = 0) {
      closing = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        // Keep-alive connections with nothing under way would otherwise hold close() open.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(timer);
          clearInterval(idle);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
