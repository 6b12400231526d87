import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { type RecordingNotifier, recordingNotifier, testScheduler } from "../support/scheduling.js";

// A decision logged by TIIWG's Canadian co-chair late on Friday 13 November 2026 waits for
// Mexico. Monday 16 November is Mexico's Revolution Day: Salvador, the Mexican co-chair, is
// nudged on Tuesday morning in Mexico City, reminded two working days later, and his
// confirmation makes the bot say in the group's channel that both countries ratified it.

let h: Harness;
let platform: RecordingNotifier;
let tick: () => Promise<unknown>;

beforeEach(async () => {
  h = await createHarness({ now: "2026-11-13T23:30:00Z" });
  platform = recordingNotifier("console", h.clock);
  const scheduler = testScheduler(h.app, h.clock, [platform.notifier]);
  tick = () => scheduler.tick();
});
afterEach(() => h.close());

const dms = () => platform.delivered.filter((d) => d.direct);
// Weekly digests go out too; these tests look at ratification notices.
const posts = () => platform.delivered.filter((d) => !d.direct && d.key.startsWith("ratified:"));

async function at(iso: string) {
  h.clock.set(iso);
  await tick();
}

describe("ratification nudges", () => {
  it("nudges the missing side's co-chair in his hours and language, reminds him, then announces the ratification", async () => {
    expect(await h.say("sara", "decide TIIWG Seek approval of the terms of reference")).toContain(
      "TIIWG-D1",
    );
    await at("2026-11-14T00:00:00Z");
    await at("2026-11-16T16:00:00Z"); // Monday: a holiday in Mexico
    expect(dms()).toEqual([]);
    await at("2026-11-17T15:01:00Z"); // Tuesday 09:01 in Mexico City
    expect(dms().map((d) => d.to)).toEqual(["salvador"]);
    const nudge = dms()[0]!;
    expect(nudge.text).toContain(
      "La decisión TIIWG-D1 de TIIWG necesita la confirmación de México.",
    );
    expect(nudge.text).toContain("Seek approval of the terms of reference");
    expect(nudge.text).toContain("falta México");
    expect(nudge.doc.blocks).toContainEqual({
      type: "actions",
      actions: [expect.objectContaining({ id: "decision.confirm", value: "TIIWG-D1" })],
    });
    // The week's digest (Monday's, moved to Tuesday by the Mexican holiday) names who is missing.
    const digest = platform.delivered.find((d) => d.key.startsWith("digest:") && d.to === "tiiwg");
    expect(digest?.text).toMatch(
      /Waiting for ratification \(1\):\n {2}• TIIWG-D1 · Seek approval of the terms of reference\n {4}Proposed, waiting for Mexico/,
    );
    expect(digest?.text).toContain("Propuesta, falta México");
    // Chantal, the other Canadian co-chair, is not asked: Canada has confirmed.
    await at("2026-11-19T15:05:00Z");
    expect(dms().map((d) => [d.to, d.text.split("\n")[0]])).toEqual([
      ["salvador", expect.stringContaining("La decisión TIIWG-D1")],
      ["salvador", expect.stringContaining("Recordatorio: la decisión TIIWG-D1")],
    ]);

    expect(await h.say("salvador", "confirmar TIIWG-D1")).toContain("TIIWG-D1");
    h.clock.advance(60_000);
    await tick();
    await tick();
    expect(posts().map((p) => p.to)).toEqual(["tiiwg"]);
    expect(posts()[0]?.text).toContain("Ratified by Canada and Mexico: TIIWG-D1.");
    expect(posts()[0]?.text).toContain("Ratificada por Canadá y México: TIIWG-D1.");
    // Nothing more for this decision, however many ticks follow.
    await at("2026-11-26T15:05:00Z");
    expect(dms()).toHaveLength(2);
    expect(posts()).toHaveLength(1);
  });

  it("sends no reminder when the group turned them off, and lists the nudge among upcoming posts", async () => {
    expect(await h.say("sara", "schedule TIIWG ratify off")).toContain("no reminder");
    expect(await h.say("sara", "schedule TIIWG ratify 11")).toContain("from 1 to 10");
    await h.say("sara", "decide TIIWG Share the roadmap draft");
    expect(await h.say("sara", "upcoming TIIWG")).toContain("Nudge to confirm TIIWG-D1");
    await at("2026-11-17T15:01:00Z");
    await at("2026-11-19T15:05:00Z");
    await at("2026-11-24T15:05:00Z");
    expect(dms().map((d) => d.to)).toEqual(["salvador"]);
  });

  it("drops a nudge whose side confirmed before it went out", async () => {
    await h.say("sara", "decide TIIWG Share the roadmap draft");
    await h.say("salvador", "confirmar TIIWG-D1");
    await at("2026-11-13T23:31:00Z");
    await tick();
    await at("2026-11-17T15:01:00Z");
    expect(dms()).toEqual([]);
    expect(posts().map((p) => p.text)).toEqual([
      expect.stringContaining("Ratified by Canada and Mexico: TIIWG-D1."),
    ]);
  });
});
