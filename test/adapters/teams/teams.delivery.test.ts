import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryKeyOf } from "../../../src/adapters/teams/to-adaptive-card.js";
import type { MessageDoc } from "../../../src/core/render/message.js";
import type { Harness } from "../../support/harness.js";
import {
  cardsOf,
  channelMessage,
  type FakeConnector,
  fixture,
  personalMessage,
  runsOf,
  startTeamsBot,
  startTeamsSuite,
  stopTeamsSuite,
  type TeamsBot,
  textOfCall,
} from "../../support/teams-rig.js";

let h: Harness;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  ({ h, connector, bot } = await startTeamsSuite());
});
afterEach(() => stopTeamsSuite({ h, connector, bot }));

const TEAM_CHANNEL = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
const reminder: MessageDoc = {
  summary: "TIIWG-1 is due in 7 days",
  blocks: [
    { type: "text", text: "TIIWG-1 is due in 7 days" },
    {
      type: "actions",
      actions: [{ id: "item.done", label: "Mark done", value: "TIIWG-1", style: "primary" }],
    },
  ],
};

async function botAddedToTeam() {
  const activity = fixture("conversationUpdate-bot-added-to-team.msteams-docs.json");
  return bot.post({ ...activity, serviceUrl: connector.url });
}

describe("proactive posts", () => {
  it("when the bot is added to a team it stores the channel's reference, greets in three languages, and can post there later", async () => {
    expect((await botAddedToTeam()).status).toBe(200);
    expect(await h.app.store.conversations.get("teams", TEAM_CHANNEL)).toMatchObject({
      conversation: { id: TEAM_CHANNEL },
      serviceUrl: connector.url,
      bot: { id: "28:608cacfd-1cea-40c9-b678-4b93e69bb72b" },
    });
    const welcome = connector.posts().at(-1)!;
    expect(textOfCall(welcome)).toContain("@CMP bind WG");
    expect(textOfCall(welcome)).toContain("@CMP vincular GT");
    expect(textOfCall(welcome)).toContain("@CMP lier GT");

    const result = await bot.teams.notifier.post(TEAM_CHANNEL, reminder, { deliveryKey: "rem-42" });
    const posted = connector.posts().at(-1)!;
    // A new post in the channel, not a reply to anything.
    expect(posted.path).toBe(`/v3/conversations/${TEAM_CHANNEL}/activities`);
    expect(result).toEqual({ status: "sent", messageId: expect.stringMatching(/^msg-/) });
    const [card] = cardsOf(posted);
    expect(runsOf(card)).toEqual(["TIIWG-1 is due in 7 days"]);
    expect(deliveryKeyOf(card)).toBe("rem-42");
    expect(posted.body?.summary).toBe("TIIWG-1 is due in 7 days");
  });

  it("a channel's threads share the channel's reference, stored when someone speaks to the bot", async () => {
    await bot.post(channelMessage(connector, "sara", "help"));
    const result = await bot.teams.notifier.post(
      "19:d441d38c655c47a085215b2726e76927@thread.tacv2",
      reminder,
      { deliveryKey: "k1" },
    );
    expect(result.status).toBe("sent");
    expect(connector.posts().at(-1)!.path).toBe(
      "/v3/conversations/19:d441d38c655c47a085215b2726e76927@thread.tacv2/activities",
    );
  });

  it("is a single attempt that tells the scheduler what happened", async () => {
    await botAddedToTeam();
    const post = () => bot.teams.notifier.post(TEAM_CHANNEL, reminder, { deliveryKey: "k" });
    const path = /\/activities$/;
    const before = connector.posts().length;

    connector.script({ method: "POST", path, status: 429, headers: { "retry-after": "30" } });
    expect(await post()).toEqual({ status: "retry", reason: "HTTP 429", retryAfterMs: 30_000 });
    // The SDK's own retries are off: one request, not four.
    expect(connector.posts().length).toBe(before + 1);

    connector.script({
      method: "POST",
      path,
      status: 403,
      body: { error: { code: "MessageWritesBlocked", message: "Thread is blocked" } },
    });
    expect(await post()).toEqual({ status: "failed", reason: "HTTP 403 MessageWritesBlocked" });

    connector.script({ method: "POST", path, status: 503 });
    expect(await post()).toMatchObject({ status: "retry" });

    connector.script({ method: "POST", path, status: 500 });
    expect(await post()).toMatchObject({ status: "unknown" });
    expect(connector.posts().length).toBe(before + 4);

    expect(await post()).toMatchObject({ status: "sent" });
  });

  it("cannot post where the bot never was, and says it cannot tell whether a post landed", async () => {
    expect(
      await bot.teams.notifier.post("19:nowhere@thread.tacv2", reminder, { deliveryKey: "k" }),
    ).toEqual({
      status: "failed",
      reason: expect.stringContaining("never added"),
    });
    // "Cannot tell" throws, so the scheduler never posts a second time blindly.
    await expect(bot.teams.notifier.findDelivered(TEAM_CHANNEL, "k", new Date(0))).rejects.toThrow(
      /Microsoft Graph/,
    );
  });

  it("messages a person directly in the personal chat they had with the bot", async () => {
    const salvador = (await h.app.store.people.byHandle("salvador"))!;
    const direct = () =>
      bot.teams.notifier.postDirect({ personId: salvador.id, userId: "aad-salvador" }, reminder, {
        deliveryKey: "dm-1",
      });
    expect(await direct()).toBeNull();
    await bot.post(personalMessage(connector, "salvador", "ayuda", { lang: "es" }));
    expect(await direct()).toMatchObject({ status: "sent" });
    expect(connector.posts().at(-1)!.path).toBe("/v3/conversations/a:personal-salvador/activities");
  });
});

describe("interactive replies", () => {
  it("a 429 is retried after its Retry-After, then the reply arrives once", async () => {
    const activity = channelMessage(connector, "sara", "status TIIWG");
    connector.script({
      method: "POST",
      path: /\/activities\/[^/]+$/,
      status: 429,
      headers: { "retry-after": "1" },
    });
    const started = Date.now();
    expect((await bot.post(activity)).status).toBe(200);
    const replies = connector.posts();
    expect(replies).toHaveLength(2);
    expect(replies[1]!.at - replies[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(textOfCall(replies[1]!)).toContain("TIIWG — Trade, Investment and Innovation");
    // Both attempts are counted for /metrics, the refusal apart.
    const metrics = await h.app.metrics.registry.metrics();
    const calls = (result: string) =>
      metrics
        .split("\n")
        .find(
          (l) =>
            l.startsWith("cmp_platform_calls_total{") &&
            l.includes('platform="teams"') &&
            l.includes('method="POST conversations.activities"') &&
            l.includes(`result="${result}"`),
        );
    expect(calls("rate_limited")).toMatch(/ 1$/);
    expect(calls("ok")).toMatch(/ 1$/);
  });

  it("a command redelivered by Teams acts once", async () => {
    const activity = channelMessage(connector, "sara", "add TIIWG Joint roadmap due 2027-Q1");
    await bot.post(activity);
    await bot.post(activity);
    expect(await h.count("commitments")).toBe(2);
    expect(textOfCall(connector.posts().at(-1)!)).toContain("already handled");
  });
});

describe("exports", () => {
  it("in a personal chat, the CSV comes as a file the person accepts into OneDrive", async () => {
    await bot.post(channelMessage(connector, "sara", "add TIIWG Joint roadmap due 2027-Q1"));
    await bot.post(personalMessage(connector, "sara", "export TIIWG"));
    const consent = connector.posts().at(-1)!;
    const attachment = (consent.body!.attachments as { content: { acceptContext: object } }[])[0]!;
    expect(attachment).toMatchObject({
      contentType: "application/vnd.microsoft.teams.card.file.consent",
      name: "cmp-tracker-tiiwg-2026-11-20.csv",
      content: { acceptContext: { cmpFile: "export TIIWG" } },
    });
    expect(textOfCall(connector.posts().at(-2)!)).toContain(
      "Tracker export for TIIWG: 1 commitment.",
    );

    const accept = {
      ...personalMessage(connector, "sara", ""),
      type: "invoke",
      name: "fileConsent/invoke",
      value: {
        type: "fileUpload",
        action: "accept",
        context: attachment.content.acceptContext,
        uploadInfo: {
          contentUrl:
            "https://contoso.sharepoint.com/personal/sara/cmp-tracker-tiiwg-2026-11-20.csv",
          name: "cmp-tracker-tiiwg-2026-11-20.csv",
          uploadUrl: `${connector.url}upload/session-1`,
          uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
          fileType: "csv",
        },
      },
    };
    expect((await bot.post(accept)).status).toBe(200);
    const upload = connector.calls.find((c) => c.path === "/upload/session-1")!;
    expect(upload.method).toBe("PUT");
    expect(upload.raw).toContain("Joint roadmap");
    const info = connector.posts().at(-1)!;
    expect((info.body!.attachments as object[])[0]).toEqual({
      contentType: "application/vnd.microsoft.teams.card.file.info",
      name: "cmp-tracker-tiiwg-2026-11-20.csv",
      contentUrl: "https://contoso.sharepoint.com/personal/sara/cmp-tracker-tiiwg-2026-11-20.csv",
      content: { uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C8C", fileType: "csv" },
    });
  });

  it("asked in a channel, the file goes to the person's personal chat and the channel says so", async () => {
    // Without a personal chat yet, the channel says how to open one; nothing is sent.
    await bot.post(channelMessage(connector, "sara", "export TIIWG"));
    expect(textOfCall(connector.posts().at(-1)!)).toContain("we have none yet");
    expect(connector.posts().some((c) => c.path.includes("a:personal-sara"))).toBe(false);

    await bot.post(personalMessage(connector, "sara", "help"));
    const before = connector.posts().length;
    await bot.post(channelMessage(connector, "sara", "export TIIWG"));
    const after = connector.posts().slice(before);
    const personal = after.filter((c) => c.path.includes("a:personal-sara"));
    const consent = personal
      .flatMap(
        (c) =>
          (c.body?.attachments ?? []) as {
            contentType: string;
            name?: string;
            content?: { acceptContext?: object };
          }[],
      )
      .find((a) => a.contentType === "application/vnd.microsoft.teams.card.file.consent");
    expect(consent).toMatchObject({
      name: "cmp-tracker-tiiwg-2026-11-20.csv",
      content: { acceptContext: { cmpFile: "export TIIWG" } },
    });
    const channel = after.filter((c) => !c.path.includes("a:personal-sara"));
    expect(textOfCall(channel.at(-1)!)).toContain(
      "I sent cmp-tracker-tiiwg-2026-11-20.csv to our personal chat",
    );
  });

  it("a consent card cannot be made to run anything but a file command", async () => {
    await bot.post(personalMessage(connector, "sara", "help"));
    const accept = {
      ...personalMessage(connector, "sara", ""),
      type: "invoke",
      name: "fileConsent/invoke",
      value: {
        type: "fileUpload",
        action: "accept",
        context: { cmpFile: "add TIIWG Sneaky item due 2027-Q1" },
        uploadInfo: { uploadUrl: `${connector.url}upload/session-2`, name: "x.csv" },
      },
    };
    await bot.post(accept);
    expect(await h.count("commitments")).toBe(1);
    expect(connector.calls.some((c) => c.path === "/upload/session-2")).toBe(false);
  });
});

describe("request verification", () => {
  it("with an app id, an unsigned or forged request gets 401 and does nothing", async () => {
    const secured = await startTeamsBot(h, {
      appId: "11111111-2222-3333-4444-555555555555",
      appPassword: "not-a-real-secret",
      tenantId: null,
      appType: "MultiTenant",
      allowUnauthenticated: false,
    });
    try {
      const activity = channelMessage(connector, "sara", "add TIIWG Sneaky item due 2027-Q1");
      expect((await secured.post(activity)).status).toBe(401);
      expect((await secured.post(activity, { authorization: "Bearer not.a.token" })).status).toBe(
        401,
      );
      expect(connector.calls).toEqual([]);
      expect(await h.count("commitments")).toBe(1);
    } finally {
      await secured.close();
    }
  });

  it("in local testing mode, answers nobody but this machine", async () => {
    let status = 0;
    const res = {
      writeHead(code: number) {
        status = code;
        return this;
      },
      end() {
        return this;
      },
    };
    const req = { socket: { remoteAddress: "203.0.113.9" }, headers: {}, method: "POST" };
    await bot.teams.handler(req as never, res as never);
    expect(status).toBe(403);
  });

  it("rejects a body that is not a JSON activity", async () => {
    const response = await fetch(bot.url, { method: "POST", body: "payload=nope" });
    expect(response.status).toBe(400);
  });
});

describe("importing an edited tracker", () => {
  async function editedCsv(): Promise<Buffer> {
    const reply = await h.run("admin", "export TIIWG");
    if (reply.kind !== "file") throw new Error("no export");
    return Buffer.from(String(reply.content).replace("Introduction phase", "In progress"));
  }

  function withFile(who: "admin" | "sara", text: string) {
    return {
      ...personalMessage(connector, who, text),
      attachments: [
        {
          contentType: "application/vnd.microsoft.teams.file.download.info",
          name: "tracker-edited.csv",
          content: {
            downloadUrl: `${connector.url}download/tracker-edited.csv`,
            uniqueId: "5A4B3C2D",
            fileType: "csv",
          },
        },
      ],
    };
  }

  it("in a personal chat, shows the diff, then applies it once", async () => {
    await bot.post(channelMessage(connector, "sara", "add TIIWG Joint roadmap due 2027-Q1"));
    connector.downloads.set("tracker-edited.csv", await editedCsv());
    await bot.post(withFile("admin", "import"));
    expect(textOfCall(connector.posts().at(-1)!)).toContain("1 to change");
    const tiiwg = await h.app.store.groups.byCode("TIIWG");
    const item = () => h.app.store.commitments.byNumber(tiiwg?.id ?? 0, 1);
    expect((await item())?.status).toBe("introduction");
    const apply = withFile("admin", "import apply");
    await bot.post(apply);
    expect(textOfCall(connector.posts().at(-1)!)).toContain("Applied: 0 added, 1 changed");
    expect((await item())?.status).toBe("in_progress");
    // Teams redelivers the same activity: applied once.
    await bot.post(apply);
    expect(textOfCall(connector.posts().at(-1)!)).toContain("already handled");
  });

  it("says so when the file cannot be fetched, and changes nothing", async () => {
    await bot.post(withFile("admin", "import apply"));
    expect(textOfCall(connector.posts().at(-1)!)).toContain("Could not fetch tracker-edited.csv");
  });
});
