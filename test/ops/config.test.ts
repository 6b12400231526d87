import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";
import { startBot } from "../support/bot-process.js";

describe("operations settings", () => {
  it("default to metrics on the main port without a token, a 20 s drain and 180/7-day retention", () => {
    const config = parseConfig({});
    expect(config.ops).toEqual({
      metricsToken: null,
      metricsPort: null,
      shutdownGraceMs: 20_000,
      clockOffsetMs: 0,
    });
    expect(config.retention).toEqual({ deliveriesDays: 180, requestKeysDays: 7 });
    expect(
      parseConfig({ METRICS_PORT: "9464", METRICS_TOKEN: "s3cret", SHUTDOWN_GRACE_SECONDS: "5" })
        .ops,
    ).toMatchObject({ metricsToken: "s3cret", metricsPort: 9464, shutdownGraceMs: 5000 });
    expect(() => parseConfig({ NODE_ENV: "production", CMP_CLOCK_OFFSET_SECONDS: "600" })).toThrow(
      /refused when NODE_ENV=production/,
    );
    expect(() => parseConfig({ SHUTDOWN_GRACE_SECONDS: "soon" })).toThrow(/SHUTDOWN_GRACE_SECONDS/);
    expect(() => parseConfig({ CMP_RETENTION_DELIVERIES_DAYS: "0" })).toThrow(ConfigError);
  });

  it("give an overdue item four weekly reminders before it is stalled, unless told otherwise", () => {
    expect(parseConfig({}).scheduler.overdueReminders).toBe(4);
    expect(parseConfig({ CMP_OVERDUE_REMINDERS: "2" }).scheduler.overdueReminders).toBe(2);
    expect(parseConfig({ CMP_OVERDUE_REMINDERS: "0" }).scheduler.overdueReminders).toBe(0);
    expect(() => parseConfig({ CMP_OVERDUE_REMINDERS: "-1" })).toThrow(/CMP_OVERDUE_REMINDERS/);
    expect(() => parseConfig({ CMP_OVERDUE_REMINDERS: "monthly" })).toThrow(ConfigError);
  });
});

describe("Teams app type", () => {
  const id = "11111111-2222-3333-4444-555555555555";
  it("is SingleTenant unless told otherwise, and then needs the tenant id", () => {
    expect(() => parseConfig({ MICROSOFT_APP_ID: id, MICROSOFT_APP_PASSWORD: "pw" })).toThrow(
      "Teams (MICROSOFT_APP_TYPE=SingleTenant) needs MICROSOFT_APP_TENANT_ID besides MICROSOFT_APP_ID.",
    );
    expect(
      parseConfig({
        MICROSOFT_APP_ID: id,
        MICROSOFT_APP_PASSWORD: "pw",
        MICROSOFT_APP_TENANT_ID: "t",
      }).teams,
    ).toMatchObject({ appType: "SingleTenant", tenantId: "t" });
  });

  it("keeps MultiTenant for existing registrations that ask for it", () => {
    expect(
      parseConfig({
        MICROSOFT_APP_ID: id,
        MICROSOFT_APP_PASSWORD: "pw",
        MICROSOFT_APP_TYPE: "MultiTenant",
      }).teams,
    ).toMatchObject({ appType: "MultiTenant", tenantId: null });
  });
});

describe("metrics on their own port, behind a token", () => {
  it("serves /metrics only there, and only with the bearer token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmp-ops-metrics-"));
    const bot = await startBot({
      DATABASE_URL: join(dir, "cmp.db"),
      TEAMS_ALLOW_UNAUTHENTICATED: "true",
      METRICS_PORT: "0",
      METRICS_TOKEN: "scrape-me",
      CMP_SCHEDULER: "false",
    });
    try {
      expect(bot.metricsPort).not.toBe(bot.port);
      expect((await fetch(`${bot.base}/metrics`)).status).toBe(404);
      const metrics = `http://127.0.0.1:${bot.metricsPort}/metrics`;
      const refused = await fetch(metrics, { headers: { authorization: "Bearer wrong" } });
      expect(refused.status).toBe(401);
      expect(await refused.text()).toBe("unauthorized");
      const ok = await fetch(metrics, { headers: { authorization: "Bearer scrape-me" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("# TYPE cmp_commands_total counter");
    } finally {
      expect(await bot.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
