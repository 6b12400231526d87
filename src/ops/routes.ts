import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Readiness } from "../db/health.js";
import type { HttpServer } from "../http/server.js";
import type { Metrics } from "./metrics.js";

// GET /readyz for load balancers and orchestrators; GET /metrics for Prometheus.

export function addReadiness(http: HttpServer, check: () => Promise<Readiness>): void {
  http.route("GET", "/readyz", async (_req, res) => {
    const result = await check();
    if (result.ready) res.writeHead(200, { "content-type": "text/plain" }).end("ready");
    else res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${result.reason}`);
  });
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function addMetrics(http: HttpServer, metrics: Metrics, token: string | null): void {
  http.route("GET", "/metrics", async (req, res) => {
    if (token && !bearerMatches(req, token)) {
      res
        .writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" })
        .end("unauthorized");
      return;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
  });
}
