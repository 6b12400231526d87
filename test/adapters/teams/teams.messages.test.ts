import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInert } from "../../../src/core/render/inert.js";
import { createHarness, type Harness } from "../../support/harness.js";
import {
  ACCOUNTS,
  BOT,
  CHANNEL,
  cardsOf,
  channelMessage,
  elementsOf,
  type FakeConnector,
  personalMessage,
  runsOf,
  startTeamsBot,
  startTeamsSuite,
  stopTeamsSuite,
  type TeamsBot,
  textOfCall,
  type Who,
} from "../../support/teams-rig.js";

let h: Harness;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  ({ h, connector, bot } = await startTeamsSuite());
});
afterEach(() => stopTeamsSuite({ h, connector, bot }));

describe("commands by @mention in a channel", () => {
  it("answers in a thread reply with an Adaptive Card in the person's language", async () => {
    const cases: [Who, string, "en" | "es" | "fr", string][] = [
      ["sara", "status TIIWG", "en", "TIIWG — Trade, Investment and Innovation"],
      ["salvador", "estado TIIWG", "es", "TIIWG — Comercio, Inversión e Innovación"],
      ["chantal", "statut TIIWG", "fr", "TIIWG — Commerce, investissement et innovation"],
    ];
    for (const [who, command, lang, header] of cases) {
      const activity = channelMessage(connector, who, command, { lang });
      const response = await bot.post(activity);
      expect(response.status).toBe(200);
      const reply = connector.posts().at(-1)!;
      // A reply to the message: POST /v3/conversations/{thread}/activities/{message id}.
      expect(reply.method).toBe("POST");
      expect(reply.path).toBe(
        `/v3/conversations/${CHANNEL};messageid=${activity.id}/activities/${activity.id}`,
      );
      const [card] = cardsOf(reply);
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5", lang });
      expect(runsOf(card)[0]).toBe(header);
    }
  });

  it("recognises every verb in English, Spanish and French, in a channel and in a personal chat, answering as the console does", async () => {
    const spellings: Record<"en" | "es" | "fr", Record<string, string>> = {
      en: (await import("../../../locales/en/verbs.json")).default,
      es: (await import("../../../locales/es/verbs.json")).default,
      fr: (await import("../../../locales/fr/verbs.json")).default,
    };
    const speaker = { en: "sara", es: "salvador", fr: "chantal" } as const;
    const where = {
      channel: (who: Who, text: string, lang: "en" | "es" | "fr") =>
        channelMessage(connector, who, text, { lang }),
      personal: (who: Who, text: string, lang: "en" | "es" | "fr") =>
        personalMessage(connector, who, text, { lang }),
    };
    for (const [place, message] of Object.entries(where))
      for (const lang of ["en", "es", "fr"] as const) {
        for (const [verb, words] of Object.entries(spellings[lang])) {
          const word = words.split(",")[0]!;
          const before = connector.posts().length;
          await bot.post(message(speaker[lang], word, lang));
          const reply = connector.posts()[before]!;
          // The one deliberate difference: a channel never gets a personal calendar link.
          if (place === "channel" && verb === "calendar") {
            expect(reply.body?.summary).not.toContain("/calendar/");
            continue;
          }
          const answer = await h.run(speaker[lang], word, { locale: lang });
          const summary =
            answer.kind === "form"
              ? answer.form.title
              : answer.kind === "file" && place === "channel"
                ? // A file goes to the personal chat; the channel is told where, or how to open one.
                  h.app.i18n
                    .localizer(lang)
                    .t("teams:file.personal_chat_only", { name: answer.filename })
                : answer.kind === "message" && answer.personal && place === "channel"
                  ? // So does a personal page (no personal chat has been opened yet here).
                    h.app.i18n.localizer(lang).t("teams:personal.none")
                  : answer.doc.summary;
          expect(reply.body?.summary, `${place} ${lang} ${verb} (${word})`).toBe(summary);
          expect(summary).not.toMatch(
            /I don't know the command|No conozco el comando|Je ne connais pas la commande/,
          );
        }
      }
  });

  it("strips the bot's mention through its entity even when the text names it differently", async () => {
    const activity = channelMessage(connector, "sara", "status TIIWG");
    activity.text = "<at>CMP Coordination</at> status TIIWG";
    activity.entities = [{ type: "mention", text: "<at>CMP Coordination</at>", mentioned: BOT }];
    await bot.post(activity);
    expect(textOfCall(connector.posts().at(-1)!)).toContain(
      "TIIWG — Trade, Investment and Innovation",
    );
  });

  it("ignores a channel message that does not mention the bot", async () => {
    const activity = channelMessage(connector, "sara", "status TIIWG");
    activity.text = "status TIIWG";
    activity.entities = [];
    expect((await bot.post(activity)).status).toBe(200);
    expect(connector.posts()).toEqual([]);
  });

  it("once an admin binds the channel, every thread of it belongs to the group", async () => {
    await bot.post(channelMessage(connector, "admin", "bind TIIWG"));
    expect(textOfCall(connector.posts().at(-1)!)).toContain("This channel now belongs to TIIWG");
    const group = await h.app.store.groups.forChannel("teams", CHANNEL);
    expect(group?.code).toBe("TIIWG");
    await bot.post(
      channelMessage(connector, "sara", "add Data sharing plan due 2027-06", { thread: "99" }),
    );
    expect(textOfCall(connector.posts().at(-1)!)).toContain("Added TIIWG-1: Data sharing plan");
  });

  it("a mentioned colleague becomes an owner: the person the import knows, found by AAD id", async () => {
    connector.members.set(ACCOUNTS.member.id, { ...ACCOUNTS.member });
    const mention = {
      type: "mention",
      text: "<at>Mia Member</at>",
      mentioned: { id: ACCOUNTS.member.id, name: "Mia Member" },
    };
    await bot.post(
      channelMessage(connector, "sara", "add TIIWG Roadmap due 2027-Q1 owner <at>Mia Member</at>", {
        entities: [mention],
      }),
    );
    expect(textOfCall(connector.posts().at(-1)!)).toContain("Added TIIWG-1: Roadmap");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    const item = await h.app.store.commitments.byNumber(group.id, 1);
    const mia = await h.app.store.people.byHandle("member");
    expect(item?.owners).toEqual([
      { kind: "person", personId: mia!.id, displayName: "Mia Member" },
    ]);
    // Teams was asked who "29:member" is, once.
    expect(connector.calls.filter((c) => c.method === "GET").map((c) => c.path)).toEqual([
      `/v3/conversations/19:8j-Mnacwmq2QFDbzykeQH5v55m6cN1X3QJ5viHvGIIQ1@thread.tacv2/members/29:member`,
    ]);
  });
});

describe("under load", () => {
  it("answers 'busy' in the person's language after a short pause when the queue is too long, and runs nothing", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held = Array.from({ length: 400 }, () => h.app.queue.run(() => gate));
    const started = performance.now();
    const activity = channelMessage(connector, "salvador", "add TIIWG No debe agregarse", {
      lang: "es",
    });
    const response = await bot.post(activity);
    const waited = performance.now() - started;
    release();
    await Promise.all(held);
    expect(response.status).toBe(200);
    expect(textOfCall(connector.posts().at(-1)!)).toBe(
      "El bot está ocupado en este momento y no ejecutó su comando. Inténtelo de nuevo en unos segundos.",
    );
    // Not at once: a client retrying at once would flood the bot with "busy" answers that leave
    // no time to the commands it accepted.
    expect(waited).toBeGreaterThanOrEqual(200);
    const tiiwg = await h.app.store.groups.byCode("TIIWG");
    expect(await h.app.store.commitments.byTitle(tiiwg!.id, "No debe agregarse")).toBeNull();
  });
});

describe("who is speaking", () => {
  it("a person known by their bot-scoped id is the same person when Teams also sends their AAD id", async () => {
    const fresh = await createHarness();
    const other = await startTeamsBot(fresh);
    try {
      const sara = (await fresh.app.store.people.byHandle("sara"))!;
      await fresh.app.store.people.linkIdentity(sara.id, "teams", ACCOUNTS.sara.id);
      await other.post(channelMessage(connector, "sara", "add TIIWG Roadmap due 2027-Q1"));
      expect(textOfCall(connector.posts().at(-1)!)).toContain("Added TIIWG-1: Roadmap");
      expect((await fresh.app.store.people.byIdentity("teams", "aad-sara"))?.id).toBe(sara.id);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  it("someone the bot has never met gets no rights", async () => {
    const stranger = channelMessage(connector, "sara", "add TIIWG Roadmap due 2027-Q1");
    stranger.from = { id: "29:stranger", name: "Sara Wilshaw", aadObjectId: "aad-stranger" };
    await bot.post(stranger);
    expect(textOfCall(connector.posts().at(-1)!)).toContain(
      "Only the co-chairs of TIIWG and the secretariat can do that.",
    );
  });
});

describe("commands in a personal chat", () => {
  it("needs no mention, and remembers the chat for direct messages to that person", async () => {
    await bot.post(personalMessage(connector, "salvador", "estado TIIWG", { lang: "es" }));
    const reply = connector.posts().at(-1)!;
    expect(reply.path).toMatch(/^\/v3\/conversations\/a:personal-salvador\/activities\//);
    expect(textOfCall(reply)).toContain("TIIWG — Comercio, Inversión e Innovación");
    const salvador = (await h.app.store.people.byHandle("salvador"))!;
    const personal = await h.app.store.conversations.personal("teams", salvador.id);
    expect(personal?.conversationId).toBe("a:personal-salvador");
  });

  it("shows a co-chair's own page as a card, in Spanish, with the decision waiting for Mexico", async () => {
    await h.run("sara", "decide TIIWG Share the roadmap draft");
    await bot.post(personalMessage(connector, "salvador", "inicio", { lang: "es" }));
    const reply = connector.posts().at(-1)!;
    const [card] = cardsOf(reply);
    expect(card).toMatchObject({ type: "AdaptiveCard", lang: "es" });
    const text = textOfCall(reply);
    expect(text).toContain("Mi CMP — Salvador Behar");
    expect(text).toContain("TIIWG-D1 · Share the roadmap draft");
    expect(text).toContain("Propuesta, falta México");
    expect(JSON.stringify(card)).toContain('"verb":"decision.confirm","data":{"ref":"TIIWG-D1"}');

    // Teams draws the page again whenever he looks at it (Universal Actions refresh), for him.
    expect(card).toMatchObject({
      refresh: {
        action: { type: "Action.Execute", verb: "home.refresh" },
        userIds: ["29:salvador"],
      },
    });
    const looked = (await h.app.store.people.byHandle("salvador"))?.homeSeenAt;
    await h.run("salvador", "confirmar TIIWG-D1");
    const refresh = {
      ...personalMessage(connector, "salvador", "", { lang: "es" }),
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: "home.refresh" }, trigger: "automatic" },
    };
    const answer = (await (await bot.post(refresh)).json()) as {
      statusCode: number;
      value: unknown;
    };
    expect(answer.statusCode).toBe(200);
    expect(runsOf(answer.value).join("\n")).toContain("Ninguna decisión espera su confirmación.");
    expect(answer.value).toMatchObject({ refresh: { userIds: ["29:salvador"] } });
    // Being redrawn is not looking: "what changed since" still starts at his last visit.
    expect((await h.app.store.people.byHandle("salvador"))?.homeSeenAt).toBe(looked);
  });

  it("sends the page asked for in a channel to the personal chat, and only says so in the channel", async () => {
    await bot.post(channelMessage(connector, "member", "home"));
    expect(textOfCall(connector.posts().at(-1)!)).toContain("we have no personal chat yet");
    expect(connector.posts().map(textOfCall).join("\n")).not.toContain("My CMP — Mia Member");

    await bot.post(personalMessage(connector, "member", "help"));
    const before = connector.posts().length;
    await bot.post(channelMessage(connector, "member", "home"));
    const [page, note] = connector.posts().slice(before);
    expect(page?.path).toMatch(/^\/v3\/conversations\/a:personal-member\/activities/);
    expect(textOfCall(page!)).toContain("My CMP — Mia Member");
    expect(note?.path).not.toContain("a:personal-member");
    expect(textOfCall(note!)).toContain("I sent your page to our personal chat");
  });

  it("gives a calendar link only in the personal chat, never in a channel everyone reads", async () => {
    await bot.post(channelMessage(connector, "salvador", "calendario TIIWG", { lang: "es" }));
    const inChannel = textOfCall(connector.posts().at(-1)!);
    expect(inChannel).toContain("pídamelo en nuestro chat personal (@CMP calendario allí)");
    expect(inChannel).not.toContain("/calendar/");
    await bot.post(personalMessage(connector, "salvador", "calendario TIIWG", { lang: "es" }));
    const personal = textOfCall(connector.posts().at(-1)!);
    expect(personal).toContain("Su enlace de calendario para las reuniones de TIIWG");
    expect(personal).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics/);
  });

  it("a form-only command answers with a card whose button opens the form as a dialog", async () => {
    await bot.post(personalMessage(connector, "sara", "add"));
    const [card] = cardsOf(connector.posts().at(-1)!);
    expect(runsOf(card)).toEqual(["New commitment"]);
    expect((card as { actions: unknown[] }).actions).toEqual([
      {
        type: "Action.Submit",
        title: "Open the form",
        data: { msteams: { type: "task/fetch" }, cmpForm: "add", cmpContext: {} },
      },
    ]);
  });
});

describe("the same command on Teams and in the console", () => {
  it("makes the same change to the tracker", async () => {
    const script: [Who, string][] = [
      ["sara", "add TIIWG Joint trade mission roadmap due 2027-Q1 owner COMCE (MX)"],
      ["salvador", "agregar TIIWG Hoja de ruta plazo finales de enero 2027"],
      ["sara", "update TIIWG-1 in progress"],
      ["chantal", "modifier TIIWG-2 note Appel avec RNCan"],
      ["sara", "decide TIIWG Seek approval of the terms of reference"],
      ["salvador", "confirmar TIIWG-D1"],
      ["member", "done TIIWG-1"],
    ];
    const terminal = await createHarness();
    try {
      for (const [who, command] of script) {
        await bot.post(channelMessage(connector, who, command));
        await terminal.run(who, command);
      }
      const snapshot = async (harness: Harness) => {
        const group = (await harness.app.store.groups.byCode("TIIWG"))!;
        const items = await harness.app.store.commitments.list({ groupIds: [group.id] });
        const decisions = await harness.app.store.decisions.list([group.id], 10);
        return {
          items: await Promise.all(
            items.map(async (i) => ({
              number: i.number,
              title: i.title,
              status: i.status,
              dueAt: i.dueAt,
              timeline: i.timeline,
              owners: i.owners,
              notes: (await harness.app.store.commitments.updates(i.id)).map((u) => [
                u.kind,
                u.text,
              ]),
            })),
          ),
          decisions: decisions.map((d) => [d.number, d.text, d.status, d.confirmations.length]),
        };
      };
      const viaTeams = await snapshot(h);
      expect(viaTeams.items).toHaveLength(2);
      expect(viaTeams.decisions).toEqual([
        [1, "Seek approval of the terms of reference", "confirmed", 2],
      ]);
      expect(viaTeams).toEqual(await snapshot(terminal));
    } finally {
      await terminal.close();
    }
  });
});

describe("user text in cards", () => {
  it("stays inert: no Markdown element carries it, no mention entity, no link to it", async () => {
    const title = "[click](https://evil.example) <at>Sara Wilshaw</at> **now** _x_";
    // Teams sends what a person typed with < and > as entities; real markup is only its own.
    const typed = title.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    await bot.post(channelMessage(connector, "sara", `add TIIWG ${typed} due 2027-Q1`));
    await bot.post(channelMessage(connector, "sara", "show TIIWG-1"));
    const [card] = cardsOf(connector.posts().at(-1)!);
    expect(runsOf(card)).toContain(`TIIWG-1 · ${title}`);
    // TextBlock and FactSet are where Teams parses Markdown; user text never goes there.
    expect(elementsOf(card, "TextBlock")).toEqual([]);
    expect(elementsOf(card, "FactSet")).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('"entities"');
    expect(elementsOf(card, "Action.OpenUrl")).toEqual([]);
  });

  it("reaches Teams without control or bidi characters, in the card and in the notification summary", async () => {
    const hostile = "Budget\u202Etxt.exe \u001b[31mred\u0007 \u2066x\u2069";
    await bot.post(channelMessage(connector, "sara", `add TIIWG ${hostile} due 2027-Q1`));
    const posted = connector.posts().at(-1)!;
    expect(posted.body?.summary).toBe("Added TIIWG-1: Budgettxt.exe [31mred x");
    expect(runsOf(cardsOf(posted)[0])).toContain("Added TIIWG-1: Budgettxt.exe [31mred x");
    const strings = (value: unknown): string[] =>
      typeof value === "string"
        ? [value]
        : value && typeof value === "object"
          ? Object.values(value).flatMap(strings)
          : [];
    expect(strings(posted.body).filter((text) => !isInert(text))).toEqual([]);
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.commitments.byNumber(group.id, 1))?.title).toBe(hostile);
  });
});

describe("examples in replies", () => {
  it("read as people type them in Teams: @CMP, not a slash command", async () => {
    await bot.post(channelMessage(connector, "sara", "frobnicate"));
    const text = textOfCall(connector.posts().at(-1)!);
    expect(text).toContain("Type @CMP help to see them all.");
    expect(text).not.toContain("/cmp");
  });
});
