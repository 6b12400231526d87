import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../../support/harness.js";
import {
  ACCOUNTS,
  channelMessage,
  type FakeConnector,
  startTeamsSuite,
  stopTeamsSuite,
  type TeamsBot,
  textOfCall,
} from "../../support/teams-rig.js";

// Names the secretariat imported are the names people read everywhere; what Teams says about a
// person only fills what the tracker does not know.

let h: Harness;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  ({ h, connector, bot } = await startTeamsSuite());
});
afterEach(() => stopTeamsSuite({ h, connector, bot }));

/** A channel command from Sara, whose Teams profile calls her "testuser". */
async function asTestuser(command: string, extra: Record<string, unknown> = {}) {
  const activity = channelMessage(connector, "sara", command, extra);
  await bot.post({ ...activity, from: { ...ACCOUNTS.sara, name: "testuser" } });
  return textOfCall(connector.posts().at(-1)!);
}

describe("who people are, on Teams", () => {
  it("keeps the imported name in owners, the audit log and the export after the first Teams request", async () => {
    connector.members.set(ACCOUNTS.member.id, { ...ACCOUNTS.member, name: "mia.teams" });
    const mention = {
      type: "mention",
      text: "<at>mia.teams</at>",
      mentioned: { id: ACCOUNTS.member.id, name: "mia.teams" },
    };
    expect(
      await asTestuser("add TIIWG Roadmap due 2027-Q1 owner <at>mia.teams</at>", {
        entities: [mention],
      }),
    ).toContain("Added TIIWG-1: Roadmap");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    const item = await h.app.store.commitments.byNumber(group.id, 1);
    expect(item?.owners.map((o) => (o.kind === "person" ? o.displayName : o.name))).toEqual([
      "Mia Member",
    ]);
    const audit = await h.app.database.db
      .selectFrom("audit_log")
      .select("actor_name")
      .where("entity_ref", "=", "TIIWG-1")
      .execute();
    expect(audit.map((row) => row.actor_name)).toEqual(["Sara Wilshaw"]);

    const exported = await h.run("sara", "export TIIWG");
    if (exported.kind !== "file") throw new Error("expected the export");
    expect(exported.content).toContain("Mia Member");
    expect(exported.content).not.toMatch(/testuser|mia\.teams/);
    expect((await h.app.store.people.byHandle("sara"))?.displayName).toBe("Sara Wilshaw");
  });

  it("fills a zone the tracker does not know from the activity, and keeps one it knows", async () => {
    const activity = channelMessage(connector, "member", "mine");
    await bot.post({ ...activity, localTimezone: "America/Mexico_City" });
    await asTestuser("mine", {});
    expect(await h.app.store.people.byHandle("member")).toMatchObject({
      displayName: "Mia Member",
      timeZone: "America/Mexico_City",
    });
    expect(await h.app.store.people.byHandle("sara")).toMatchObject({
      displayName: "Sara Wilshaw",
      timeZone: "America/Toronto",
    });
  });
});
