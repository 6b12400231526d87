import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScheduler } from "../../../src/scheduler/runner.js";
import { createHarness, type Harness } from "../../support/harness.js";
import type { FakeConnector, TeamsBot } from "../../support/teams-rig.js";
import * as support from "../../support/teams-rig.js";

// Teams Connect shared channels (issue 13): TIIWG's channel lives in the Canadian tenant and is
// shared with the Mexican organisation's tenant. Salvador, Mexico's co-chair, speaks there under
// his own tenant's object id; the import names him by tenant id and object id, and only that
// pair gets his role. The channel's conversation reference is stored when the bot is spoken to
// there and used for posts into it, among them his reminders, since the bot cannot message a
// person of another tenant privately.

const ACTIVITY = support.fixture("message-shared-channel-external.msteams-docs.json");
const MEMBER = support.fixture("member-external-tenant.msteams-docs.json") as {
  id: string;
  name: string;
  aadObjectId: string;
  tenantId: string;
};
const SHARED = ACTIVITY.channelData.channel.id as string;
const HOST_TENANT = ACTIVITY.conversation.tenantId as string;
const MX_TENANT = MEMBER.tenantId as string;
const SALVADOR = {
  id: MEMBER.id as string,
  name: "Salvador Behar",
  aadObjectId: MEMBER.aadObjectId,
};

let h: Harness;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  h = await createHarness();
  await support.linkTeamsAccounts(h);
  const salvador = (await h.app.store.people.byHandle("salvador"))!;
  await h.app.database.db
    .deleteFrom("identities")
    .where("person_id", "=", salvador.id)
    .where("platform", "=", "teams")
    .execute();
  // As an import gives it: `identities: { teams: "<tenant id>/<object id>" }`.
  await h.app.store.people.linkIdentity(salvador.id, "teams", `${MX_TENANT}/${MEMBER.aadObjectId}`);
  connector = await support.startFakeConnector();
  connector.members.set(MEMBER.id, MEMBER);
  bot = await support.startTeamsBot(h);
});
afterEach(async () => {
  await bot.close();
  await connector.close();
  await h.close();
});

let sequence = 0;

/** The documented shared-channel message, from `from`, @mentioning the bot with `command`. */
function inShared(from: { id: string; name: string; aadObjectId?: string }, command: string) {
  sequence += 1;
  const id = `17674${String(sequence).padStart(8, "0")}`;
  return {
    ...ACTIVITY,
    id,
    serviceUrl: connector.url,
    from,
    text: `<at>CMP</at> ${command}`,
    conversation: { ...ACTIVITY.conversation, id: `${SHARED};messageid=${id}` },
  };
}

async function say(from: Parameters<typeof inShared>[0], command: string) {
  const before = connector.posts().length;
  await bot.post(inShared(from, command));
  return connector.posts().slice(before).map(support.textOfCall).join("\n");
}

async function decision() {
  const said = await h.say("sara", "decide TIIWG Share the export guide with both ministries");
  const ref = /TIIWG-D\d+/.exec(said)?.[0] as string;
  const group = (await h.app.store.groups.byCode("TIIWG"))!;
  return {
    ref,
    status: async () =>
      (await h.app.store.decisions.byNumber(group.id, Number(ref.split("-D")[1])))?.status,
  };
}

describe("a person of another tenant in a shared channel", () => {
  it("is matched by tenant id and object id and gets the imported co-chair's role", async () => {
    expect(await say(support.ACCOUNTS.admin, "bind TIIWG")).toContain("TIIWG");
    const first = await decision();
    expect(await say(SALVADOR, `confirmar ${first.ref}`)).toContain(
      `${first.ref} quedó confirmada.`,
    );
    expect(await first.status()).toBe("confirmed");
    // The tenant was asked once, then remembered.
    await say(SALVADOR, "estado");
    const lookups = connector.calls.filter((c) => c.method === "GET" && c.path.endsWith(MEMBER.id));
    expect(lookups).toHaveLength(1);
  });

  it("the same object id from another tenant is someone else, with no role", async () => {
    const other = {
      ...MEMBER,
      id: "29:1SomeoneElse",
      tenantId: "e1e2e3e4-0000-4000-8000-000000000000",
    };
    connector.members.set(other.id, other);
    const second = await decision();
    const answer = await say(
      { id: other.id, name: "Not Salvador", aadObjectId: MEMBER.aadObjectId },
      `confirm ${second.ref}`,
    );
    expect(answer).toContain("Only the co-chairs of TIIWG");
    expect(await second.status()).toBe("proposed");
  });

  it("the shared channel's reference is stored and takes the posts he cannot get privately", async () => {
    await say(support.ACCOUNTS.admin, "bind TIIWG");
    const stored = (await h.app.store.conversations.get("teams", SHARED)) as {
      conversation: { id: string; tenantId: string };
      serviceUrl: string;
    };
    expect(stored.conversation).toMatchObject({ id: SHARED, tenantId: HOST_TENANT });
    expect(stored.serviceUrl).toBe(connector.url);

    await h.say("sara", "add TIIWG Export guide due 2026-11-27 owner @salvador");
    const scheduler = createScheduler({
      store: h.app.store,
      i18n: h.app.i18n,
      clock: h.clock,
      logger: pino({ level: "silent" }),
      notifiers: [bot.teams.notifier],
      graceMs: 24 * 3_600_000,
      sleep: async (ms) => h.clock.advance(ms),
    });
    // Friday 20 November, 09:00 in Mexico City: his reminder 7 days before is owed.
    h.clock.set("2026-11-20T15:01:00Z");
    await scheduler.tick();
    h.clock.set("2026-11-20T15:02:00Z");
    await scheduler.tick();
    const posted = connector
      .posts()
      .filter((p) => p.path === `/v3/conversations/${SHARED}/activities`)
      .map(support.textOfCall)
      .filter((text) => text.includes("Export guide"));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(
      "Para Salvador Behar, a quien el bot no puede escribir en privado:",
    );
  });
});
