import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConsoleNotifier } from "../../src/adapters/console/console.notifier.js";
import { ConfigError, parseConfig } from "../../src/config.js";
import { createI18n } from "../../src/core/i18n.js";
import { startCron } from "../../src/scheduler/cron.js";
import type { Scheduler } from "../../src/scheduler/runner.js";
import { intlOffsetMinutes, staleTimeZoneWarning } from "../../src/scheduler/tzdata.js";

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe("time-zone data", () => {
  it("this runtime knows Mexico City stays at UTC−6 while Ottawa changes", () => {
    expect(intlOffsetMinutes("America/Mexico_City", new Date("2023-07-01T12:00:00Z"))).toBe(-360);
    expect(intlOffsetMinutes("America/Mexico_City", new Date("2027-01-15T12:00:00Z"))).toBe(-360);
    expect(intlOffsetMinutes("America/Toronto", new Date("2023-07-01T12:00:00Z"))).toBe(-240);
    expect(intlOffsetMinutes("America/Toronto", new Date("2027-01-15T12:00:00Z"))).toBe(-300);
    expect(staleTimeZoneWarning()).toBeNull();
  });

  it("warns, naming the fix, when the data predates Mexico's 2022 change", () => {
    const old = () => -300;
    expect(staleTimeZoneWarning(old)).toContain("predates Mexico's 2022 change");
    expect(staleTimeZoneWarning(old)).toContain("newer Node.js");
  });
});

describe("configuration", () => {
  it("is on with the platforms unless turned off, with a 24-hour grace and a tick a minute", () => {
    expect(parseConfig({}).scheduler).toEqual({
      enabled: undefined,
      graceHours: 24,
      cron: "* * * * *",
      overdueReminders: 4,
    });
    expect(
      parseConfig({ CMP_SCHEDULER: "true", CMP_SCHEDULER_GRACE_HOURS: "6" }).scheduler,
    ).toMatchObject({ enabled: true, graceHours: 6 });
    expect(() => parseConfig({ CMP_SCHEDULER_GRACE_HOURS: "-1" })).toThrow(ConfigError);
    expect(() => parseConfig({ CMP_SCHEDULER: "maybe" })).toThrow(/CMP_SCHEDULER/);
  });
});

describe("the cron", () => {
  it("refuses an expression it cannot read, naming the variable", () => {
    const scheduler: Scheduler = {
      tick: async () => ({ claimed: 0, skipped: 0, sent: 0, retried: 0, expired: 0, failed: 0 }),
    };
    expect(() => startCron(scheduler, { expression: "every minute", logger: silent })).toThrow(
      /CMP_SCHEDULER_CRON/,
    );
  });

  it("ticks at once on start, and stopping waits for the tick under way", async () => {
    let finished = false;
    const scheduler: Scheduler = {
      tick: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        finished = true;
        return { claimed: 0, skipped: 0, sent: 0, retried: 0, expired: 0, failed: 0 };
      },
    };
    const running = startCron(scheduler, { expression: "0 0 1 1 *", logger: silent });
    await running.stop();
    expect(finished).toBe(true);
  });

  it("never runs two ticks at once, the catch-up tick at start included", async () => {
    let inside = 0;
    let most = 0;
    let ticks = 0;
    const scheduler: Scheduler = {
      tick: async () => {
        inside += 1;
        ticks += 1;
        most = Math.max(most, inside);
        // Longer than the cron's one-second period, as a tick of many posts can be.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        inside -= 1;
        return { claimed: 0, skipped: 0, sent: 0, retried: 0, expired: 0, failed: 0 };
      },
    };
    const running = startCron(scheduler, { expression: "* * * * * *", logger: silent });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await running.stop();
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
  });
});

describe("the console notifier", () => {
  it("prints each scheduled post under a header and finds it again by its key", async () => {
    let out = "";
    const output = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    const l = (await createI18n()).localizer("es");
    const notifier = createConsoleNotifier({ output, l });
    const doc = { summary: "x", blocks: [{ type: "text" as const, text: "Vence hoy\u001b[2J" }] };
    const result = await notifier.post("tiiwg", doc, { deliveryKey: "reminder:1:0d:x:channel|c" });
    expect(result).toEqual({ status: "sent", messageId: "console-1" });
    expect(out).toContain("── publicación programada en el canal de consola tiiwg ──\nVence hoy");
    expect(out).not.toContain("\u001b");
    expect(await notifier.findDelivered("tiiwg", "reminder:1:0d:x:channel|c", new Date())).toBe(
      "console-1",
    );
    expect(await notifier.findDelivered("tiiwg", "other", new Date())).toBeNull();
    await notifier.postDirect({ personId: 1, userId: "salvador" }, doc, { deliveryKey: "dm" });
    expect(out).toContain("── mensaje directo programado para salvador ──");
  });
});
