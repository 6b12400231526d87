import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import {
  HOUR,
  type RecordingNotifier,
  recordingNotifier,
  testScheduler,
} from "../support/scheduling.js";

// Ottawa falls back on 7 November 2027; Mexico City, without daylight-saving time since 2022,
// stays at UTC−6. A fake clock walks from late October to mid-November.

let h: Harness;
let slack: RecordingNotifier;

beforeAll(async () => {
  h = await createHarness({ now: "2027-10-20T00:00:00Z" });
  const at = h.clock.now().toISOString();
  for (const [code, channelId] of [
    ["TIIWG", "C-TIIWG"],
    ["LMWG", "C-LMWG"],
  ] as const) {
    const group = await h.app.store.groups.byCode(code);
    await h.app.store.groups.bindChannel({ groupId: group!.id, platform: "slack", channelId }, at);
  }
  // LMWG's only item, due in 2018, would add its weekly reminders: closed to keep to digests.
  await h.say("sara", "done LMWG-1");
  slack = recordingNotifier("slack", h.clock);
  const scheduler = testScheduler(h.app, h.clock, [slack.notifier]);
  for (
    let t = Date.parse("2027-10-25T00:00:00Z");
    t <= Date.parse("2027-11-17T00:00:00Z");
    t += HOUR
  ) {
    h.clock.set(new Date(t).toISOString());
    await scheduler.tick();
  }
}, 60_000);

afterAll(async () => {
  await h.close();
});

const digests = (channel: string) =>
  slack.delivered
    .filter((c) => c.to === channel && c.key.startsWith("digest:"))
    .map((c) => c.at.slice(0, 16));

describe("the November change", () => {
  it("keeps the Ottawa group's digest at 09:00 local before and after Ottawa falls back", () => {
    expect(digests("C-LMWG")).toEqual([
      "2027-10-25T13:00", // EDT, UTC−4
      "2027-11-01T13:00",
      "2027-11-08T14:00", // EST, UTC−5
      // Monday 15 November is Mexico's Revolution Day: the group keeps both countries' holidays.
      "2027-11-16T14:00",
    ]);
  });

  it("keeps the Mexico City group's digest at 15:00 UTC throughout", () => {
    expect(digests("C-TIIWG")).toEqual([
      "2027-10-25T15:00",
      "2027-11-01T15:00",
      "2027-11-08T15:00",
      "2027-11-16T15:00",
    ]);
  });
});
