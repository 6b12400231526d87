import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "../../src/app.js";
import { importData } from "../../src/import/yaml-import.js";
import { createHarness, type Harness, SMALL_PARTNERSHIP } from "../support/harness.js";

// What a person set, or a platform filled in, survives the secretariat importing the file again.

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function reimport() {
  const now = h.clock.now();
  await importData(
    h.app.store,
    SMALL_PARTNERSHIP,
    await systemActor(h.app.store, now.toISOString()),
    now,
  );
}

describe("importing again", () => {
  it("keeps the language a person chose with lang", async () => {
    expect(await h.say("sara", "lang fr")).toContain("français");
    await reimport();
    expect(await h.app.store.people.byHandle("sara")).toMatchObject({
      language: "fr",
      languageChosen: true,
    });
    expect(await h.say("sara", "help")).toContain("Robot CMP");
  });

  it("keeps a time zone a platform filled in when the file gives none, and takes the file's names", async () => {
    await h.run("member", "mine", { platform: "console" });
    const mia = await h.app.store.people.byHandle("member");
    await h.app.store.people.linkIdentity(mia!.id, "slack", "U0MIA");
    await h.app.store.people.resolve(
      { platform: "slack", userId: "U0MIA", displayName: "mia.slack" },
      { timeZone: "America/Mexico_City" },
      h.clock.now().toISOString(),
    );
    await reimport();
    expect(await h.app.store.people.byHandle("member")).toMatchObject({
      displayName: "Mia Member",
      timeZone: "America/Mexico_City",
    });
  });
});
