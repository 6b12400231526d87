import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Invocation } from "../../src/core/invocation.js";
import { createHarness, type Harness, textOf } from "../support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.say("sara", "add TIIWG Joint trade mission roadmap due 2018-Q1");
});
afterEach(() => h.close());

const click = (person: string, requestKey: string): Invocation => ({
  platform: "console",
  text: "",
  actor: { userId: person, displayName: person },
  channelId: "tiiwg",
  requestKey,
});

describe("buttons, as the router presses them", () => {
  it("a button runs its verb on its value, once per click", async () => {
    const done = await h.app.router.press(click("sara", "click-1"), "item.done", "TIIWG-1");
    expect(done && done.kind !== "form" && done.kind !== "refused" && textOf(done)).toContain(
      "TIIWG-1",
    );
    expect(await h.say("sara", "show TIIWG-1")).toContain("Done");
    const replay = await h.app.router.press(click("sara", "click-1"), "item.done", "TIIWG-1");
    expect(replay && replay.kind === "message" && textOf(replay)).toContain("already");
  });

  it("a button that writes a note opens the note form about its item", async () => {
    const note = await h.app.router.press(click("member", "click-2"), "item.note", "TIIWG-1");
    expect(note).toMatchObject({ kind: "form", form: { id: "note", context: { ref: "TIIWG-1" } } });
  });

  it("refuses a value or a button it did not make: they travelled through the client", async () => {
    const router = h.app.router;
    expect(await router.press(click("sara", "c3"), "item.done", "TIIWG-1; bind X")).toBeNull();
    expect(await router.press(click("sara", "c4"), "info", "TIIWG-1")).toBeNull();
    expect(await router.press(click("sara", "c5"), "toString", "TIIWG-1")).toBeNull();
    expect(await h.say("sara", "show TIIWG-1")).not.toContain("Done");
  });

  it("a refused form comes back as data: the reason, an example and its field", async () => {
    const before = await h.count("commitments");
    const refused = await h.app.router.submitForm(click("sara", "c6"), {
      form: "add",
      values: { group: "TIIWG", title: "Roadmap", timeline: "2027-13" },
      context: {},
    });
    expect(refused).toMatchObject({
      kind: "refused",
      field: "timeline",
      message: expect.stringContaining("is not a real date"),
      example: expect.stringContaining("2018-Q1"),
    });
    expect(await h.count("commitments")).toBe(before);
  });
});
