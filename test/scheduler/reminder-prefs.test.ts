import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RemindersVia } from "../../src/core/tracker/types.js";
import { createHarness, type Harness } from "../support/harness.js";
import { recordingNotifier, testScheduler } from "../support/scheduling.js";

// How reminders of my own items reach me, as I chose on my page (issue 13): by direct message
// (the default), in the group's channel instead, or not at all — the weekly digest lists them.

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: "2026-11-20T14:00:00Z" });
  const group = (await h.app.store.groups.byCode("TIIWG"))!;
  await h.app.store.groups.bindChannel(
    { groupId: group.id, platform: "console", channelId: "tiiwg" },
    h.clock.now().toISOString(),
  );
  await h.say("sara", "add TIIWG Export guide due 2026-11-27 owner @member");
});
afterEach(() => h.close());

/** The posts of Friday 20 November, 09:00 in Mexico City: the reminder 7 days before. */
async function remindersWith(via: RemindersVia) {
  const member = (await h.app.store.people.byHandle("member"))!;
  await h.app.store.people.setPreferences(member.id, { remindersVia: via });
  const console = recordingNotifier("console", h.clock);
  h.clock.set("2026-11-20T15:01:00Z");
  await testScheduler(h.app, h.clock, [console.notifier]).tick();
  return console.delivered
    .filter((c) => c.key.startsWith("reminder:"))
    .map((c) => (c.direct ? `dm:${c.to}` : `channel:${c.to}`));
}

describe("reminders as the owner chose them", () => {
  it("by direct message by default", async () => {
    expect(await remindersWith("direct")).toEqual(["dm:member"]);
  });

  it("in the group's channel instead", async () => {
    expect(await remindersWith("channel")).toEqual(["channel:tiiwg"]);
  });

  it("only in the weekly digest: no reminder at all", async () => {
    expect(await remindersWith("digest")).toEqual([]);
  });
});
