import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Logger } from "../../src/core/ports.js";
import { createHarness, fakeClock, type Harness } from "../support/harness.js";
import { HOUR, type PostCall, recordingNotifier, testScheduler } from "../support/scheduling.js";

// The database, not the process, decides what is owed: a restart catches up on what it missed
// within the grace period and records older occasions as skipped; two schedulers sharing one
// SQLite file post each occasion once.

let h: Harness;
const extra: App[] = [];
afterEach(async () => {
  for (const app of extra.splice(0)) await app.close();
  await h.close();
});

/** TIIWG bound to one Slack channel, with an item due Tuesday 1 December 2026. */
async function setup() {
  h = await createHarness({ now: "2026-11-29T12:00:00Z" });
  const group = await h.app.store.groups.byCode("TIIWG");
  await h.app.store.groups.bindChannel(
    { groupId: group!.id, platform: "slack", channelId: "C-1" },
    h.clock.now().toISOString(),
  );
  await h.say("sara", "add TIIWG Trade mission report due 2026-12-01 owner COMCE (MX)");
  return group!.id;
}

/** A second process: its own App (connection) on the same SQLite file, its own clock. */
async function secondApp(now: string) {
  const clock = fakeClock(now);
  const app = await createApp({
    databaseUrl: join(h.dir, "cmp.db"),
    logger: pino({ level: "silent" }),
    clock,
  });
  extra.push(app);
  return { app, clock };
}

function recordingLogger() {
  const warnings: { obj: object; msg?: string }[] = [];
  const logger: Logger = {
    info: () => {},
    warn: (obj, msg) => warnings.push({ obj, msg }),
    error: () => {},
  };
  return { logger, warnings };
}

const slackOnly = (keys: string[]) => keys.filter((k) => !k.includes("|console:"));

describe("restarts", () => {
  it("after an outage, posts what fell due within the grace period once and records older occasions as skipped", async () => {
    const groupId = await setup();
    const before = recordingNotifier("slack", h.clock);
    const first = testScheduler(h.app, h.clock, [before.notifier]);
    // Running until Monday 08:00 in Mexico City, then down for 29 hours.
    for (
      let t = Date.parse("2026-11-30T00:00:00Z");
      t <= Date.parse("2026-11-30T14:00:00Z");
      t += HOUR
    ) {
      h.clock.set(new Date(t).toISOString());
      await first.tick();
    }
    expect(before.delivered).toEqual([]);

    const { app, clock } = await secondApp("2026-12-01T19:00:00.000Z");
    const after = recordingNotifier("slack", clock);
    const { logger, warnings } = recordingLogger();
    const restarted = testScheduler(app, clock, [after.notifier], { logger });
    await restarted.tick();
    clock.set("2026-12-01T19:05:00.000Z");
    await restarted.tick();

    // Tuesday 09:00 (4 hours before the restart): posted once, late but within the grace.
    expect(after.delivered.map((c) => c.key.split(":").slice(0, 3).join(":"))).toEqual([
      expect.stringMatching(/^reminder:\d+:0d$/),
    ]);
    expect(after.delivered[0]?.text).toContain("Due today");
    // Monday 09:00 (29 hours before): the reminder and the weekly digest, recorded, not posted.
    const rows = await app.store.schedule.deliveries(groupId, {
      from: "2026-11-30T00:00:00.000Z",
      to: "2026-11-30T23:59:59.999Z",
    });
    expect(rows.map((r) => [r.kind, r.status, r.lastError])).toEqual([
      ["digest", "skipped", "missed"],
      ["reminder", "skipped", "missed"],
    ]);
    const missed = warnings.filter((w) => w.msg?.includes("recorded as skipped, not posted"));
    expect(missed).toHaveLength(1);
    expect(missed[0]?.obj).toMatchObject({ count: expect.any(Number) });
  });

  it("with no grace left to catch up on, posts nothing late", async () => {
    await setup();
    const first = testScheduler(h.app, h.clock, []);
    h.clock.set("2026-11-30T12:00:00.000Z");
    await first.tick();
    h.clock.set("2026-12-02T16:00:00.000Z");
    const slack = recordingNotifier("slack", h.clock);
    const report = await testScheduler(h.app, h.clock, [slack.notifier]).tick();
    expect(slack.delivered.map((c) => c.key.split(":")[0])).toEqual([]);
    expect(report.skipped).toBeGreaterThanOrEqual(3);
  });
});

describe("two schedulers on one database", () => {
  it("post each occasion once, ticking at the same moments", async () => {
    await setup();
    const { app, clock } = await secondApp("2026-11-29T12:00:00.000Z");
    const slackA = recordingNotifier("slack", h.clock);
    const slackB = recordingNotifier("slack", clock);
    const a = testScheduler(h.app, h.clock, [slackA.notifier]);
    const b = testScheduler(app, clock, [slackB.notifier]);
    for (
      let t = Date.parse("2026-11-30T00:00:00Z");
      t <= Date.parse("2026-12-08T00:00:00Z");
      t += HOUR
    ) {
      const at = new Date(t).toISOString();
      h.clock.set(at);
      clock.set(at);
      await Promise.all([a.tick(), b.tick()]);
    }
    const keys = slackOnly([...slackA.delivered, ...slackB.delivered].map((c) => c.key));
    expect(new Set(keys).size).toBe(keys.length);
    // Monday's digest and reminder, Tuesday's reminder (in Monday's thread, with its one-line
    // notice in the channel), the next Monday's digest.
    expect(keys.map((k) => k.split(":")[0]).sort()).toEqual([
      "digest",
      "digest",
      "notice",
      "reminder",
      "reminder",
    ]);
    expect([...slackA.calls, ...slackB.calls]).toHaveLength(keys.length);
  });

  it("post once even when one is a little behind the other and both retry", async () => {
    await setup();
    const { app, clock } = await secondApp("2026-11-30T15:00:00.000Z");
    // One Slack workspace seen by both processes; every first attempt times out after posting.
    const channel: PostCall[] = [];
    const flaky = (platformClock: typeof clock) =>
      recordingNotifier("slack", platformClock, {
        delivered: channel,
        answer: (_call, attempt) =>
          attempt === 1
            ? { status: "accepted-then-lost", reason: "timeout" }
            : { status: "sent", messageId: "" },
      });
    const slackA = flaky(h.clock);
    const slackB = flaky(clock);
    const a = testScheduler(h.app, h.clock, [slackA.notifier]);
    const b = testScheduler(app, clock, [slackB.notifier]);
    for (let minutes = 0; minutes < 30; minutes += 1) {
      const at = new Date(Date.parse("2026-11-30T15:00:00Z") + minutes * 60_000);
      h.clock.set(at.toISOString());
      clock.set(new Date(at.getTime() + 20_000).toISOString());
      await Promise.all([a.tick(), b.tick()]);
    }
    const delivered = slackOnly(channel.map((c) => c.key));
    expect(delivered.map((k) => k.split(":")[0]).sort()).toEqual(["digest", "reminder"]);
    expect(new Set(delivered).size).toBe(2);
    expect(slackA.searches.length + slackB.searches.length).toBeGreaterThanOrEqual(2);
  });
});
