import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("help", () => {
  it("answers in the person's language, listing verbs with examples", async () => {
    expect(await h.say("sara", "help")).toContain("CMP bot — what you can do");
    expect(await h.say("salvador", "ayuda")).toContain("Bot CMP — lo que puede hacer");
    expect(await h.say("chantal", "aide")).toContain("Robot CMP — ce que vous pouvez faire");
    expect(await h.say("sara", "")).toContain("/cmp status [WG]");
  });

  it("lists every verb the bot knows, the dashboard and calendar links included", async () => {
    const help = await h.say("sara", "help");
    for (const usage of ["/cmp home", "/cmp calendar [WG]", "/cmp report", "/cmp import"])
      expect(help).toContain(usage);
    expect(await h.say("salvador", "ayuda")).toContain("/cmp inicio");
  });

  it("answers in the language of a verb that belongs to one language, whoever types it", async () => {
    expect(await h.say("sara", "estado TIIWG")).toContain(
      "TIIWG — Comercio, Inversión e Innovación",
    );
    expect(await h.say("salvador", "status TIIWG")).toContain(
      "TIIWG — Trade, Investment and Innovation",
    );
    expect(await h.say("sara", "statut TIIWG")).toContain(
      "TIIWG — Commerce, investissement et innovation",
    );
  });

  it("a language chosen with lang wins over the verb's", async () => {
    await h.say("sara", "lang en");
    expect(await h.say("sara", "ayuda")).toContain("CMP bot — what you can do");
    await h.say("salvador", "idioma es");
    expect(await h.say("salvador", "aide")).toContain("Bot CMP — lo que puede hacer");
  });

  it("a verb spelled alike in two languages decides nothing: the platform's locale does", async () => {
    // "decisions" is English, and French without its accent: the client's locale answers.
    expect(await h.say("member", "decisions TIIWG", { locale: "fr-CA" })).toContain(
      "Décisions — TIIWG",
    );
    expect(await h.say("member", "meetings TIIWG", { locale: "fr-CA" })).toContain(
      "Upcoming meetings — TIIWG",
    );
  });

  it("reads verbs as Spanish and French speakers type them, several words included", async () => {
    expect(await h.say("chantal", "mettre à jour TIIWG-1 en cours")).not.toContain(
      "Je ne connais pas la commande",
    );
    expect(await h.say("salvador", "MIS COMPROMISOS")).toContain("Mis compromisos");
    expect(await h.say("chantal", "à venir TIIWG")).toContain("Prochaines publications — TIIWG");
    expect(await h.say("chantal", "a_venir TIIWG")).toContain("Prochaines publications — TIIWG");
  });
});

describe("adding commitments", () => {
  it("when the due date is a quarter, then the item is due at the end of its last day in the group's zone", async () => {
    const reply = await h.say(
      "sara",
      "add TIIWG Joint trade mission roadmap due 2027-Q1 owner COMCE (MX), @member",
    );
    expect(reply).toContain("Added TIIWG-1: Joint trade mission roadmap");
    expect(reply).toContain("Q1 2027");
    const item = await h.app.store.commitments.byNumber(
      (await h.app.store.groups.byCode("TIIWG"))!.id,
      1,
    );
    // 31 March 2027, 23:59:59.999 in Mexico City (UTC−6, no DST since 2022).
    expect(item?.dueAt).toBe("2027-04-01T05:59:59.999Z");
    expect(item?.owners.map((o) => (o.kind === "person" ? o.displayName : o.name))).toEqual([
      "COMCE",
      "Mia Member",
    ]);
    expect(item?.timeline?.text).toBe("2027-Q1");
  });

  it("reads Spanish and French keywords and natural timelines, and answers in that language", async () => {
    const es = await h.say(
      "salvador",
      "agregar TIIWG Hoja de ruta plazo primer trimestre de 2027 responsable ProMéxico (MX)",
    );
    expect(es).toContain("Se agregó TIIWG-1: Hoja de ruta");
    const fr = await h.say(
      "chantal",
      "ajouter TIIWG Feuille de route échéance fin janvier 2027 responsable RNCan (CA)",
    );
    expect(fr).toContain("TIIWG-2 ajouté\u202f: Feuille de route");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.commitments.byNumber(group.id, 1))?.dueAt).toBe(
      "2027-04-01T05:59:59.999Z",
    );
    expect((await h.app.store.commitments.byNumber(group.id, 2))?.dueAt).toBe(
      "2027-02-01T05:59:59.999Z",
    );
  });

  it("in a group's channel the group is implied", async () => {
    expect(
      await h.say("sara", "add Data sharing plan due 2027-06", { channel: "tiiwg" }),
    ).toContain("Added TIIWG-1: Data sharing plan");
  });

  it("keeps the timeline as typed beside its meaning, tentative flag included", async () => {
    await h.say("sara", "add TIIWG Women delegation exchange due June-December 2027 (TBC)");
    const shown = await h.say("sara", "show TIIWG-1");
    expect(shown).toContain("June-December 2027 (TBC)");
    expect(shown).toMatch(/June.*December 2027.*\(TBC\)/);
  });

  it("with no text, offers the form (a modal on Slack, a task module on Teams)", async () => {
    const reply = await h.run("sara", "add");
    expect(reply.kind).toBe("form");
    if (reply.kind === "form") {
      expect(reply.form.id).toBe("add");
      expect(reply.form.fields.map((f) => f.name)).toEqual([
        "group",
        "title",
        "timeline",
        "tentative",
        "owners",
        "description",
      ]);
    }
  });
});

describe("roles", () => {
  it("a member cannot create commitments; the refusal says why in their language and nothing is written", async () => {
    const before = await h.changes();
    const reply = await h.say("member", "add TIIWG Something due 2027-Q1");
    expect(reply).toContain("Only the co-chairs of TIIWG and the secretariat can do that.");
    expect(reply).toContain("Example: /cmp add TIIWG");
    expect(await h.changes()).toBe(before);
    expect(await h.count("commitments")).toBe(1);
  });

  it("members add notes and close the items they own, but not others'", async () => {
    await h.say("sara", "add TIIWG Owned by Mia due 2027-Q1 owner @member");
    await h.say("sara", "add TIIWG Owned by COMCE due 2027-Q1 owner COMCE");
    expect(await h.say("member", "update TIIWG-1 note Called INADEM today")).toContain(
      "Note added to TIIWG-1.",
    );
    expect(await h.say("member", "update TIIWG-2 note Also on this one")).toContain(
      "Note added to TIIWG-2.",
    );
    expect(await h.say("member", "done TIIWG-2")).toContain("Only the owners of TIIWG-2");
    expect(await h.say("member", "done TIIWG-1")).toContain(
      "TIIWG-1 Owned by Mia: Introduction phase → Done",
    );
    expect(await h.say("outsider", "update TIIWG-1 note hello")).toContain(
      "Only members of TIIWG can add notes",
    );
  });

  it("a restricted group's items read as not found to outsiders, exactly like a missing item", async () => {
    const hidden = await h.say("outsider", "show LMWG-1");
    const missing = await h.say("outsider", "show LMWG-99");
    expect(hidden).toBe("There is no commitment LMWG-1.\n  Example: /cmp list TIIWG overdue");
    expect(missing).toBe(hidden.replace("LMWG-1", "LMWG-99"));
    expect(await h.say("outsider", "status LMWG")).toContain(
      "There is no working group LMWG that you can see.",
    );
    expect(await h.say("sara", "show LMWG-1")).toContain("NOC–SINCO equivalences feedback");
    expect(await h.say("admin", "show LMWG-1")).toContain("NOC–SINCO equivalences feedback");
  });

  it("only the secretariat binds channels", async () => {
    expect(await h.say("sara", "bind TIIWG", { channel: "new-room" })).toContain(
      "Only the secretariat can do that.",
    );
    expect(await h.say("admin", "bind TIIWG", { channel: "new-room" })).toContain(
      "This channel now belongs to TIIWG",
    );
    expect(
      await h.say("sara", "add Plan in the new room due 2027-Q2", { channel: "new-room" }),
    ).toContain("Added TIIWG-1");
  });
});

describe("status, lists and items", () => {
  beforeEach(async () => {
    await h.say("sara", "add TIIWG Overdue report due 2026-10");
    await h.say("sara", "add TIIWG Due soon brief due 2026-11-25");
    await h.say("sara", "add TIIWG Later plan due 2027-H2 owner @sara");
    await h.say("sara", "add TIIWG Finished thing due 2026-12");
    await h.say("sara", "done TIIWG-4");
  });

  it("status shows items by status, overdue, due in the next 14 days, decisions and the next meeting", async () => {
    const text = await h.say("member", "status", { channel: "tiiwg" });
    expect(text).toContain("Introduction phase: 3");
    expect(text).toContain("Done: 1");
    expect(text).toMatch(/Overdue \(1\):\n {2}• TIIWG-1 · Overdue report/);
    expect(text).toMatch(/Due in the next 14 days:\n {2}• TIIWG-2 · Due soon brief/);
    expect(text).toContain("No decisions logged yet.");
    expect(text).toContain("No meeting scheduled.");
  });

  it("with no group and no channel, status is an overview of every visible group", async () => {
    const outsider = await h.say("outsider", "status");
    expect(outsider).toContain("TIIWG — Trade, Investment and Innovation");
    expect(outsider).toContain("3 open · 1 overdue");
    expect(outsider).not.toContain("LMWG");
    expect(await h.say("admin", "status")).toContain("LMWG");
  });

  it("list filters open, overdue, done and all, in any language", async () => {
    expect(await h.say("sara", "list TIIWG")).toContain("Open commitments — TIIWG (3)");
    expect(await h.say("sara", "list TIIWG overdue")).toContain("Overdue commitments — TIIWG (1)");
    expect(await h.say("salvador", "lista TIIWG hechos")).toContain(
      "Compromiso cerrado — TIIWG (1)",
    );
    expect(await h.say("chantal", "liste TIIWG tous")).toContain(
      "Tous les engagements — TIIWG (4)",
    );
  });

  it("mine lists what I own across groups", async () => {
    const text = await h.say("sara", "mine");
    expect(text).toContain("What I own (1)");
    expect(text).toContain("TIIWG-3 · Later plan");
  });

  it("update changes status with words in any language and records history", async () => {
    expect(await h.say("salvador", "actualizar TIIWG-3 en-curso")).toContain(
      "TIIWG-3 Later plan: Fase de introducción → En curso",
    );
    expect(await h.say("sara", "update TIIWG-3 blocked")).toContain("In progress → Blocked");
    const shown = await h.say("sara", "show TIIWG-3");
    expect(shown).toContain("Status: Introduction phase → In progress");
    expect(shown).toContain("Status: In progress → Blocked");
  });

  it("done twice acts once", async () => {
    expect(await h.say("sara", "done TIIWG-4")).toContain("TIIWG-4 is already Done.");
  });

  it("milestones are added, listed and completed", async () => {
    expect(await h.say("sara", "milestone TIIWG-3 add Draft agreement due 2027-Q1")).toContain(
      "Milestone 1 added to TIIWG-3: Draft agreement",
    );
    expect(await h.say("sara", "milestone TIIWG-3")).toContain("1. Draft agreement");
    expect(await h.say("sara", "milestone TIIWG-3 done 1")).toContain(
      "Milestone 1 of TIIWG-3 done: Draft agreement",
    );
    expect(await h.say("sara", "show TIIWG-3")).toMatch(/1\. Draft agreement\n {4}done/);
  });
});

describe("decisions", () => {
  it("stay proposed until a co-chair of each country confirms", async () => {
    const logged = await h.say(
      "sara",
      "decide TIIWG Seek approval of the draft Terms of Reference by year end",
    );
    expect(logged).toContain("Decision TIIWG-D1 logged.");
    expect(logged).toContain("Awaiting 1 more co-chair confirmation.");
    // A second Canadian co-chair does not make it bilateral: Canada's word is already in.
    const again = await h.say("chantal", "confirmer TIIWG-D1");
    expect(again).toContain(
      "La confirmation de votre partie pour TIIWG-D1 était déjà enregistrée.",
    );
    expect(again).toContain("En attente de 1 confirmation de coprésidence.");
    expect(await h.say("salvador", "confirmar TIIWG-D1")).toContain("TIIWG-D1 quedó confirmada.");
    expect(await h.say("sara", "decisions TIIWG")).toContain("Confirmed");
    expect(await h.say("member", "confirm TIIWG-D1")).toContain("Only the co-chairs of TIIWG");
  });

  it("a group set to one confirmation confirms on the first co-chair's word", async () => {
    expect(await h.say("sara", "decide LMWG Send NOC feedback by email")).toContain(
      "Confirmed by both sides.",
    );
  });

  it("members cannot log decisions", async () => {
    expect(await h.say("member", "decide TIIWG We agreed")).toContain(
      "Only the co-chairs of TIIWG",
    );
    expect(await h.count("decisions")).toBe(0);
  });
});

describe("meetings", () => {
  it("a joint session shows both countries' times, right in winter (1 h apart)", async () => {
    const reply = await h.say(
      "admin",
      "meeting TIIWG LMWG 2026-12-15 10:00 Joint teleconference https://meet.example.org/cmp",
    );
    expect(reply).toContain("Meeting scheduled for LMWG and TIIWG.");
    // The speaker's own zone (Ottawa) leads, and the reply says which zone it read.
    expect(reply).toContain("10:00 Ottawa / 09:00 Mexico City");
    expect(reply).toContain("Read as 10:00, Ottawa time: your time zone");
    expect(reply).toContain("joint session LMWG and TIIWG");
    expect(reply).toContain("https://meet.example.org/cmp");
  });

  it("and right in summer, when Ottawa observes DST and Mexico City does not (2 h apart)", async () => {
    const reply = await h.say("sara", "meeting LMWG 2027-07-15 10:00 Summer call");
    expect(reply).toContain("10:00 Ottawa / 08:00 Mexico City");
    const es = await h.say("salvador", "reuniones LMWG", { locale: "es-MX" });
    expect(es).toContain("No hay ningún grupo de trabajo LMWG visible para usted.");
    expect(await h.say("sara", "meetings LMWG")).toContain("Summer call");
  });

  it("refuses times in the past and unreadable times with an example", async () => {
    expect(await h.say("sara", "meeting TIIWG 2020-01-01 10:00")).toContain(
      "Jan 1, 2020, 10:00 AM is in the past.",
    );
    expect(await h.say("sara", "meeting TIIWG tomorrow-ish")).toContain(
      "I could not read the meeting time “tomorrow-ish”",
    );
  });
});

describe("language", () => {
  it("follows the client's locale (es-MX → es, fr-CA → fr) until a language is chosen", async () => {
    // An empty line is help without a verb of any language.
    expect(await h.say("outsider", "", { locale: "es-MX" })).toContain("Bot CMP");
    expect(await h.say("outsider", "", { locale: "fr-CA" })).toContain("Robot CMP");
    expect(await h.say("outsider", "", { locale: "de-DE" })).toContain("CMP bot —");
    expect(await h.say("outsider", "lang fr", { locale: "es-MX" })).toContain(
      "Je vous répondrai désormais en français.",
    );
    expect(await h.say("outsider", "", { locale: "es-MX" })).toContain("Robot CMP");
    expect(await h.say("outsider", "ayuda", { locale: "es-MX" })).toContain("Robot CMP");
  });
});

describe("export", () => {
  it("gives the tracker as CSV with Annex A's columns, in the reader's language, safe for spreadsheets", async () => {
    await h.say("sara", "add TIIWG =1+2 formula due 2027-Q1 owner COMCE (MX)");
    await h.say(
      "sara",
      "add TIIWG Data, development and sharing due December 2026 - November 2027 (TBC)",
    );
    const reply = await h.run("salvador", "exportar TIIWG");
    expect(reply.kind).toBe("file");
    if (reply.kind !== "file") return;
    const lines = String(reply.content).split("\r\n");
    expect(lines[0]).toBe(
      "ID,Grupo de trabajo,Iniciativa,Hitos clave,Calendario propuesto,Estado,Participantes,Comentarios",
    );
    expect(lines[1]).toBe(
      "TIIWG-1,TIIWG,'=1+2 formula,,2027-Q1,Fase de introducción,COMCE (México),",
    );
    expect(lines[2]).toContain('"Data, development and sharing"');
    expect(lines[2]).toContain("December 2026 - November 2027 (TBC)");
    expect(reply.filename).toMatch(/^cmp-tracker-tiiwg-2026-11-20\.csv$/);
  });
});

describe("retries", () => {
  it("a replayed request with the same key acts once", async () => {
    const first = await h.say("sara", "add TIIWG Once only due 2027-Q1", {
      requestKey: "slack:trigger:123",
    });
    const again = await h.say("sara", "add TIIWG Once only due 2027-Q1", {
      requestKey: "slack:trigger:123",
    });
    expect(first).toContain("Added TIIWG-1");
    expect(again).toContain("That request was already handled");
    expect(await h.count("commitments")).toBe(2);
  });

  it("a refused request does not burn its key: fixing the cause and retrying works", async () => {
    expect(
      await h.say("sara", "add TIIWG Bad date due 2027-02-30", { requestKey: "k1" }),
    ).toContain("is not a real date");
    expect(await h.count("commitments")).toBe(1);
    expect(
      await h.say("sara", "add TIIWG Good date due 2027-02-28", { requestKey: "k1" }),
    ).toContain("Added TIIWG-1");
  });
});

describe("import", () => {
  it("accepts a person with only one platform identity and links it", async () => {
    const { importData } = await import("../../src/import/yaml-import.js");
    const { systemActor } = await import("../../src/app.js");
    const now = h.clock.now();
    await importData(
      h.app.store,
      { people: [{ key: "ana", name: "Ana Slack", identities: { slack: "U0ANA" } }], groups: [] },
      await systemActor(h.app.store, now.toISOString()),
      now,
    );
    expect((await h.app.store.people.byIdentity("slack", "U0ANA"))?.displayName).toBe("Ana Slack");
  });
});
