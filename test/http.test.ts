import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../src/http/server.js";

let http: HttpServer;
let base: string;
const logged: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  });
  http = createHttpServer(pino({ level: "error" }, sink));
  http.route("POST", "/boom", () => {
    throw new Error("secret detail");
  });
  http.routePrefix("GET", "/feed/", (req, res) => {
    if (req.url?.includes("fail")) throw new Error("feed failed");
    res.writeHead(200).end(req.url);
  });
  base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
});
afterAll(() => http.close());

describe("http server", () => {
  it("answers health checks, 404s unknown paths, and never leaks a handler's error", async () => {
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok");
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const boom = await fetch(`${base}/boom`, { method: "POST" });
    expect(boom.status).toBe(500);
    expect(await boom.text()).toBe("internal error");
  });

  it("serves every path under a prefix, and logs a failure without the path's secret part", async () => {
    expect(await (await fetch(`${base}/feed/abc.ics`)).text()).toBe("/feed/abc.ics");
    expect((await fetch(`${base}/feed/secret-token-fail.ics`)).status).toBe(500);
    const log = logged.join("");
    expect(log).toContain("feed failed");
    expect(log).not.toContain("secret-token");
  });
});
