import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../src/http/server.js";

let http: HttpServer;
let base: string;
beforeAll(async () => {
  http = createHttpServer(pino({ level: "silent" }));
  http.route("POST", "/boom", () => {
    throw new Error("secret detail");
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
});
