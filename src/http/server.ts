import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One HTTP server for every platform endpoint (Slack at /slack/events, Teams at /api/messages). */
export interface HttpServer {
  route(method: "GET" | "POST", path: string, handler: RouteHandler): void;
  /** Every path under `prefix` (e.g. "/calendar/"); the rest of the path may be a secret. */
  routePrefix(method: "GET" | "POST", prefix: string, handler: RouteHandler): void;
  /** Listens on `port` (0 picks a free one) and resolves with the port in use. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly server: Server;
}

export function createHttpServer(logger: Logger): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const prefixes: { key: string; handler: RouteHandler }[] = [];
  routes.set("GET /healthz", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const exact = routes.get(`${req.method} ${path}`);
    const prefixed = exact
      ? undefined
      : prefixes.find((p) => `${req.method} ${path}`.startsWith(p.key));
    const handler = exact ?? prefixed?.handler;
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    (async () => handler(req, res))().catch((error: unknown) => {
      // Details stay in the log; the caller learns only that it failed.
      // A prefixed route's path may hold a token: log the prefix only.
      logger.error({ err: error, path: prefixed ? prefixed.key : path }, "http handler failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      if (!res.writableEnded) res.end("internal error");
    });
  });
  return {
    server,
    route(method, path, handler) {
      routes.set(`${method} ${path}`, handler);
    },
    routePrefix(method, prefix, handler) {
      prefixes.push({ key: `${method} ${prefix}`, handler });
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
