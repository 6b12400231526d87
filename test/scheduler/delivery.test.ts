import { afterEach, describe, expect, it } from "vitest";
import type { Delivery } from "../../src/core/schedule/types.js";
import { createHarness, type Harness } from "../support/harness.js";
import {
  type Answer,
  type PostCall,
  recordingNotifier,
  testScheduler,
} from "../support/scheduling.js";

// A fake platform that answers 429, 500 (with and without the post having gone through) and
// permanent failures still ends up with each post exactly once, and the ledger says why.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const DUE_MOMENT = "2026-11-30T15:00:00.000Z"; // Monday 09:00 in Mexico City

/**
 * TIIWG (Mexico City) bound to Slack channels; an organisation-owned item due Tuesday
 * 1 December, so Monday 09:00 owes its channels a reminder (and the weekly digest).
 */
async function setup(channels: string[] = ["C-1"], ownerText = "COMCE (MX)") {
  h = await createHarness({ now: "2026-11-30T14:00:00Z" });
  const group = await h.app.store.groups.byCode("TIIWG");
  for (const channelId of channels)
    await h.app.store.groups.bindChannel(
      { groupId: group!.id, platform: "slack", channelId },
      h.clock.now().toISOString(),
    );
  await h.say("sara", `add TIIWG Trade mission report due 2026-12-01 owner ${ownerText}`);
  h.clock.set(DUE_MOMENT);
  return group!.id;
}

async function ledger(groupId: number): Promise<Delivery[]> {
  return (
    await h.app.store.schedule.deliveries(groupId, {
      from: "2026-11-30T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
    })
  ).filter((d) => d.target?.platform === "slack");
}

const reminderOnly =
  (answer: (attempt: number) => Answer) =>
  (call: PostCall, attempt: number): Answer =>
    call.key.startsWith("reminder:") ? answer(attempt) : { status: "sent", messageId: "" };

const reminders = (calls: PostCall[]) => calls.filter((c) => c.key.startsWith("reminder:"));

describe("delivery", () => {
  it("retries a 429 after its Retry-After and posts once", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly((attempt) =>
        attempt === 1
          ? { status: "retry", reason: "429 ratelimited", retryAfterMs: 120_000 }
          : { status: "sent", messageId: "" },
      ),
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    expect(await scheduler.tick()).toMatchObject({ sent: 1, retried: 1 });
    h.clock.set("2026-11-30T15:01:00.000Z");
    await scheduler.tick();
    expect(reminders(slack.calls)).toHaveLength(1); // Retry-After not yet over
    h.clock.set("2026-11-30T15:03:00.000Z");
    await scheduler.tick();
    expect(reminders(slack.calls)).toHaveLength(2);
    expect(reminders(slack.delivered)).toHaveLength(1);
    // A 429 means not posted: no need to search the channel first.
    expect(slack.searches).toEqual([]);
    const row = (await ledger(groupId)).find((d) => d.kind === "reminder");
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: "429 ratelimited" });
  });

  it("after a 500 that came after the post went through, finds it in the channel and never posts again", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly(() => ({ status: "accepted-then-lost", reason: "500 internal_error" })),
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    await scheduler.tick();
    for (const at of ["2026-11-30T15:02:00.000Z", "2026-11-30T15:10:00.000Z"]) {
      h.clock.set(at);
      await scheduler.tick();
    }
    expect(reminders(slack.calls)).toHaveLength(1);
    expect(reminders(slack.delivered)).toHaveLength(1);
    expect(slack.searches).toHaveLength(1);
    expect(slack.searches[0]?.to).toBe("C-1");
    const row = (await ledger(groupId)).find((d) => d.kind === "reminder");
    expect(row).toMatchObject({ status: "sent", messageId: "slack-found-1", reconcile: false });
  });

  it("after a 500 before the post went through, checks the channel, then posts once", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly((attempt) =>
        attempt === 1
          ? { status: "unknown", reason: "500 internal_error" }
          : { status: "sent", messageId: "" },
      ),
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    await scheduler.tick();
    h.clock.set("2026-11-30T15:02:00.000Z");
    await scheduler.tick();
    expect(slack.searches).toHaveLength(1);
    expect(reminders(slack.calls)).toHaveLength(2);
    expect(reminders(slack.delivered)).toHaveLength(1);
    expect((await ledger(groupId)).find((d) => d.kind === "reminder")?.status).toBe("sent");
  });

  it("treats a post that threw as maybe-posted and reconciles before trying again", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock);
    const post = slack.notifier.post;
    let thrown = false;
    slack.notifier.post = async (channelId, doc, options) => {
      const result = await post(channelId, doc, options);
      if (!thrown && options.deliveryKey.startsWith("reminder:")) {
        thrown = true;
        throw new Error("socket hang up");
      }
      return result;
    };
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    await scheduler.tick();
    h.clock.set("2026-11-30T15:02:00.000Z");
    await scheduler.tick();
    expect(reminders(slack.delivered)).toHaveLength(1);
    expect((await ledger(groupId)).find((d) => d.kind === "reminder")).toMatchObject({
      status: "sent",
      lastError: "socket hang up",
    });
  });

  it("never posts again after an ambiguous failure on a platform that cannot be searched", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly(() => ({ status: "accepted-then-lost", reason: "timeout" })),
    });
    slack.notifier.findDelivered = async () => {
      throw new Error("this platform's history cannot be searched");
    };
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier], { maxAttempts: 3 });
    for (let minutes = 0; minutes <= 60; minutes += 5) {
      h.clock.set(new Date(Date.parse(DUE_MOMENT) + minutes * 60_000).toISOString());
      await scheduler.tick();
    }
    expect(reminders(slack.calls)).toHaveLength(1);
    const row = (await ledger(groupId)).find((d) => d.kind === "reminder");
    expect(row?.status).toBe("failed");
    expect(row?.lastError).toContain("cannot be searched");
  });

  it("records a permanent failure with its reason and never tries again", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly(() => ({ status: "failed", reason: "channel_not_found" })),
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    for (const at of [DUE_MOMENT, "2026-11-30T16:00:00.000Z", "2026-11-30T20:00:00.000Z"]) {
      h.clock.set(at);
      await scheduler.tick();
    }
    expect(reminders(slack.calls)).toHaveLength(1);
    expect((await ledger(groupId)).find((d) => d.kind === "reminder")).toMatchObject({
      status: "failed",
      lastError: "channel_not_found",
    });
    // Co-chairs see it where they look for what the bot posts.
    expect(await h.say("sara", "upcoming TIIWG")).toContain(
      "Not delivered in the last 7 days:\n  • Nov 30, 2026 · 09:00 · Reminder → Slack channel C-1: channel_not_found",
    );
  });

  it("gives up after a bounded number of attempts, saying why", async () => {
    const groupId = await setup();
    const slack = recordingNotifier("slack", h.clock, {
      answer: reminderOnly(() => ({ status: "retry", reason: "503 service_unavailable" })),
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier], { maxAttempts: 4 });
    for (let minutes = 0; minutes <= 120; minutes += 5) {
      h.clock.set(new Date(Date.parse(DUE_MOMENT) + minutes * 60_000).toISOString());
      await scheduler.tick();
    }
    expect(reminders(slack.calls)).toHaveLength(4);
    // Back-off doubles: 33 s, 66 s, 132 s (with jitter) — ticks every 5 minutes pick them up.
    expect((await ledger(groupId)).find((d) => d.kind === "reminder")).toMatchObject({
      status: "failed",
      attempts: 4,
      lastError: "gave up after 4 attempts: 503 service_unavailable",
    });
  });

  it("expires a post for a platform no scheduler serves, rather than posting it late", async () => {
    const groupId = await setup();
    const teams = recordingNotifier("teams", h.clock);
    const teamsOnly = testScheduler(h.app, h.clock, [teams.notifier]);
    await teamsOnly.tick();
    h.clock.set("2026-12-01T16:00:00.000Z");
    expect((await teamsOnly.tick()).failed).toBeGreaterThanOrEqual(2);
    const slack = recordingNotifier("slack", h.clock);
    await testScheduler(h.app, h.clock, [slack.notifier]).tick();
    // Only Tuesday's reminder, still within its grace period, goes out.
    expect(slack.calls.map((c) => c.key.split(":").slice(0, 3).join(":"))).toEqual([
      expect.stringMatching(/^reminder:\d+:0d$/),
    ]);
    const monday = (await ledger(groupId)).filter((d) => d.dueAt === DUE_MOMENT);
    expect(monday.map((d) => [d.kind, d.status])).toEqual([
      ["digest", "failed"],
      ["reminder", "failed"],
    ]);
    expect(monday[0]?.lastError).toContain("expired");
  });

  it("never lets one failing channel hold up the others", async () => {
    await setup(["C-BAD", "C-GOOD"]);
    const slack = recordingNotifier("slack", h.clock, {
      answer: (call) =>
        call.to === "C-BAD"
          ? { status: "retry", reason: "429 ratelimited", retryAfterMs: 3_600_000 }
          : { status: "sent", messageId: "" },
    });
    const teams = recordingNotifier("teams", h.clock);
    const group = await h.app.store.groups.byCode("TIIWG");
    await h.app.store.groups.bindChannel(
      { groupId: group!.id, platform: "teams", channelId: "T-1" },
      DUE_MOMENT,
    );
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier, teams.notifier]);
    await scheduler.tick();
    expect(slack.delivered.map((c) => c.to)).toEqual(["C-GOOD", "C-GOOD"]);
    expect(teams.delivered).toHaveLength(2);
    // Once rate-limited, the channel's other post waits instead of hitting the limit again.
    expect(slack.calls.filter((c) => c.to === "C-BAD")).toHaveLength(1);
  });

  it("paces posts to about one a second per Slack channel", async () => {
    await setup(["C-1", "C-2"]);
    await h.say("sara", "add TIIWG Second report due 2026-12-01 owner COMCE (MX)");
    await h.say("sara", "add TIIWG Third report due 2026-12-01 owner COMCE (MX)");
    const slack = recordingNotifier("slack", h.clock);
    await testScheduler(h.app, h.clock, [slack.notifier]).tick();
    for (const channel of ["C-1", "C-2"]) {
      const times = slack.delivered.filter((c) => c.to === channel).map((c) => Date.parse(c.at));
      expect(times).toHaveLength(4); // three reminders and the digest
      for (let i = 1; i < times.length; i++)
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(1000);
    }
  });

  it("does not retry an ambiguous direct message on a platform that cannot search for it", async () => {
    h = await createHarness({ now: "2026-11-30T14:00:00Z" });
    const salvador = await h.app.store.people.byHandle("salvador");
    await h.app.store.people.linkIdentity(salvador!.id, "slack", "U-SAL");
    await h.say("sara", "add TIIWG Trade mission report due 2026-12-01 owner @salvador");
    h.clock.set(DUE_MOMENT);
    const slack = recordingNotifier("slack", h.clock, {
      searchDirect: false,
      answer: (call) =>
        call.direct
          ? { status: "accepted-then-lost", reason: "timeout" }
          : { status: "sent", messageId: "" },
    });
    const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
    await scheduler.tick();
    h.clock.set("2026-11-30T15:05:00.000Z");
    await scheduler.tick();
    const direct = slack.calls.filter((c) => c.direct);
    expect(direct.map((c) => c.to)).toEqual(["U-SAL"]);
    expect(direct[0]?.text).toContain("Vence mañana");
    const group = await h.app.store.groups.byCode("TIIWG");
    const row = (await ledger(group!.id)).find((d) => d.target?.kind === "direct");
    expect(row?.status).toBe("failed");
    expect(row?.lastError).toContain("never post twice");
  });
});
