import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedResponse } from "../../support/fake-slack.js";
import { allText } from "../../support/slack-blocks.js";
import { newTriggerId, type Rig, startRig, TIIWG_CHANNEL } from "../../support/slack-rig.js";

// Names the secretariat imported are the names people read everywhere; a Slack profile only
// fills what the tracker does not know.

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
  // Sara's Slack profile says "testuser" and another zone; Mia was imported without a zone.
  const sara = rig.fake.users.get("U0SARA");
  const mia = rig.fake.users.get("U0MEMBER");
  if (!sara || !mia) throw new Error("rig changed");
  rig.fake.users.set("U0SARA", {
    ...sara,
    name: "testuser",
    displayName: "testuser",
    tz: "Europe/Paris",
  });
  rig.fake.users.set("U0MEMBER", { ...mia, displayName: "mia.slack", tz: "America/Mexico_City" });
});
afterEach(async () => {
  await rig.close();
});

async function cmp(user: string, text: string) {
  const triggerId = newTriggerId();
  const res = await rig.command(user, text, { triggerId, channel: TIIWG_CHANNEL });
  expect(res.status).toBe(200);
  const response = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
  return allText(response.body.blocks);
}

describe("who people are, on Slack", () => {
  it("keeps the imported name in owners, the audit log and the export after the first Slack request", async () => {
    await cmp("sara", "add TIIWG Roadmap due 2027-Q1 owner <@U0SARA|testuser>, <@U0MEMBER|mia>");
    const group = await rig.h.app.store.groups.byCode("TIIWG");
    const item = await rig.h.app.store.commitments.byNumber(group?.id ?? 0, 1);
    expect(item?.owners.map((o) => (o.kind === "person" ? o.displayName : o.name))).toEqual([
      "Sara Wilshaw",
      "Mia Member",
    ]);

    const audit = await rig.h.app.database.db
      .selectFrom("audit_log")
      .select("actor_name")
      .where("entity_ref", "=", "TIIWG-1")
      .execute();
    expect(audit.map((row) => row.actor_name)).toEqual(["Sara Wilshaw"]);

    const shown = await cmp("sara", "show TIIWG-1");
    expect(shown).toContain("Sara Wilshaw");
    expect(shown).not.toContain("testuser");

    await cmp("sara", "export TIIWG");
    const exported = [...rig.fake.uploads.values()].at(-1)?.bytes?.toString("utf8") ?? "";
    expect(exported).toContain("Sara Wilshaw; Mia Member");
    expect(exported).not.toMatch(/testuser|mia\.slack/);
  });

  it("fills a zone or language the tracker does not know, and never replaces one it knows", async () => {
    await cmp("sara", "mine");
    await cmp("member", "mine");
    const sara = await rig.h.app.store.people.byHandle("sara");
    const mia = await rig.h.app.store.people.byHandle("member");
    expect(sara).toMatchObject({
      displayName: "Sara Wilshaw",
      timeZone: "America/Toronto",
      language: "en",
    });
    expect(mia).toMatchObject({ displayName: "Mia Member", timeZone: "America/Mexico_City" });
  });

  it("names a person first met on Slack after their Slack profile", async () => {
    rig.fake.users.set("U0NEW", {
      id: "U0NEW",
      name: "nadia",
      displayName: "Nadia New",
      locale: "es-LA",
    });
    await cmp("U0NEW", "mine");
    const nadia = await rig.h.app.store.people.byIdentity("slack", "U0NEW");
    expect(nadia).toMatchObject({ displayName: "Nadia New", language: "es" });
  });
});
