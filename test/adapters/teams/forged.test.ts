import { createSign, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTeamsAdapter } from "../../../src/adapters/teams/teams.adapter.js";
import { createDirectory } from "../../../src/core/directory.js";
import { createHttpServer, type HttpServer } from "../../../src/http/server.js";
import { createHarness, type Harness } from "../../support/harness.js";
import {
  channelMessage,
  type FakeConnector,
  linkTeamsAccounts,
  startFakeConnector,
} from "../../support/teams-rig.js";

// Forged Bot Framework tokens against the real CloudAdapter, with Microsoft's OpenID metadata
// played by a loopback fake: every failure to verify is a 401 and one JSON log line.

const APP_ID = "11111111-2222-3333-4444-555555555555";
const ISSUER = "https://api.botframework.com";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

const b64 = (value: object | string) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function jwt(header: object, claims: object, sign = true): string {
  const head = `${b64(header)}.${b64(claims)}`;
  if (!sign) return `${head}.`;
  const signer = createSign("RSA-SHA256");
  signer.update(head);
  return `${head}.${signer.sign(privateKey).toString("base64url")}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: object = {}) => ({
  iss: ISSUER,
  aud: APP_ID,
  nbf: now() - 600,
  exp: now() + 600,
  serviceurl: "http://127.0.0.1/",
  ...overrides,
});

/** Microsoft's OpenID metadata and signing keys, or a key endpoint that fails. */
async function startFakeOpenId(keys: "ok" | "down"): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === "/metadata")
      return res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys` }));
    if (keys === "down") return res.writeHead(503).end();
    const jwk = publicKey.export({ format: "jwk" });
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(
        JSON.stringify({ keys: [{ ...jwk, kid: "k1", use: "sig", endorsements: ["msteams"] }] }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`, server };
}

let h: Harness;
let connector: FakeConnector;
let http: HttpServer;
let openId: { url: string; server: Server };
let logs: Record<string, unknown>[];
let url: string;

async function start(keys: "ok" | "down") {
  openId = await startFakeOpenId(keys);
  logs = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  http = createHttpServer(logger);
  const teams = createTeamsAdapter({
    router: h.app.router,
    queue: h.app.queue,
    directory: createDirectory(h.app.store, "teams", h.app.clock),
    i18n: h.app.i18n,
    logger,
    settings: {
      appId: APP_ID,
      appPassword: "not-a-real-secret",
      tenantId: null,
      appType: "MultiTenant",
      allowUnauthenticated: false,
    },
    openIdMetadataUrl: openId.url,
  });
  http.route("POST", "/api/messages", teams.handler);
  url = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}/api/messages`;
}

beforeEach(async () => {
  h = await createHarness();
  await linkTeamsAccounts(h);
  connector = await startFakeConnector();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await http.close();
  await new Promise((resolve) => openId.server.close(resolve));
  await connector.close();
  await h.close();
});

/** Posts a command as Sara with this bearer token; returns the status and what reached stderr. */
async function forged(token: string | null) {
  const stderr: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  for (const method of ["error", "warn", "log"] as const)
    vi.spyOn(console, method).mockImplementation((...args) => {
      stderr.push(args.map(String).join(" "));
    });
  const activity = channelMessage(connector, "sara", "add TIIWG Forged item due 2027-Q1");
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(activity),
  });
  vi.restoreAllMocks();
  return { status: response.status, body: await response.text(), stderr };
}

function expectRefusedCleanly(result: Awaited<ReturnType<typeof forged>>, token: string | null) {
  expect(result.status).toBe(401);
  expect(result.body).toBe("unauthorized");
  expect(result.stderr).toEqual([]);
  const refusals = logs.filter((l) => l.msg === "teams request refused");
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toMatchObject({ level: 40, status: 401, reason: expect.any(String) });
  expect(logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
  if (token)
    for (const piece of token.split(".").filter((p) => p.length > 8))
      expect(JSON.stringify(logs)).not.toContain(piece);
}

describe("forged Teams requests", () => {
  it("an expired token is refused with 401 and one log line saying why", async () => {
    await start("ok");
    const token = jwt({ alg: "RS256", kid: "k1", typ: "JWT" }, claims({ exp: now() - 3600 }));
    const result = await forged(token);
    expectRefusedCleanly(result, token);
    expect(String(logs.find((l) => l.msg === "teams request refused")?.reason)).toMatch(/expired/i);
  });

  it("an unsigned (alg: none) token with the Bot Framework issuer is refused with 401", async () => {
    await start("ok");
    const token = jwt({ alg: "none", typ: "JWT" }, claims(), false);
    expectRefusedCleanly(await forged(token), token);
  });

  it("a token whose signing keys cannot be fetched is refused with 401, not 500", async () => {
    await start("down");
    const token = jwt({ alg: "RS256", kid: "k1", typ: "JWT" }, claims());
    expectRefusedCleanly(await forged(token), token);
  });

  it("a token signed with another key is refused without printing the signing keys", async () => {
    await start("ok");
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const head = `${b64({ alg: "RS256", kid: "k1", typ: "JWT" })}.${b64(claims())}`;
    const token = `${head}.${createSign("RSA-SHA256").update(head).sign(other).toString("base64url")}`;
    expectRefusedCleanly(await forged(token), token);
  });

  it("a request without a token, or with garbage, is refused the same way", async () => {
    await start("ok");
    expectRefusedCleanly(await forged(null), null);
    logs.length = 0;
    expectRefusedCleanly(await forged("not.a.token"), "not.a.token");
  });

  it("writes nothing and posts nothing for any refused request", async () => {
    await start("down");
    const audit = await h.count("audit_log");
    await forged(jwt({ alg: "RS256", kid: "k1", typ: "JWT" }, claims()));
    await forged(jwt({ alg: "none", typ: "JWT" }, claims(), false));
    expect(connector.calls).toEqual([]);
    expect(await h.count("commitments")).toBe(1);
    expect(await h.count("audit_log")).toBe(audit);
  });

  it("a correctly signed token still gets through", async () => {
    await start("ok");
    const token = jwt(
      { alg: "RS256", kid: "k1", typ: "JWT" },
      claims({ serviceurl: connector.url }),
    );
    const result = await forged(token);
    expect(logs.filter((l) => l.msg === "teams request refused").map((l) => l.reason)).toEqual([]);
    expect(result.status).not.toBe(401);
    // The command ran (its reply needs a Microsoft sign-in this machine cannot reach).
    expect(await h.count("commitments")).toBe(2);
  });
});
