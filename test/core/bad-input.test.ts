import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

// Every malformed command gets one message in the person's language, with a correct example;
// nothing is written and no stack trace shows.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.say("sara", "add TIIWG Existing item due 2027-Q1");
});
afterAll(async () => {
  await h.close();
});

const cases: [string, string, string, string][] = [
  // [who, command, expected message, expected example]
  ["sara", "frobnicate", "I don't know the command “frobnicate”", "Example: /cmp help"],
  [
    "sara",
    "status NOPE",
    "There is no working group NOPE that you can see.",
    "Example: /cmp status TIIWG",
  ],
  [
    "sara",
    "list TIIWG sideways",
    "I don't know the filter “sideways”",
    "Example: /cmp list TIIWG overdue",
  ],
  ["sara", "show", "“” is not a commitment ID", "Example: /cmp show TIIWG-2"],
  ["sara", "show banana", "“banana” is not a commitment ID", "Example: /cmp show TIIWG-2"],
  ["sara", "show TIIWG-99", "There is no commitment TIIWG-99.", "Example: /cmp list"],
  [
    "sara",
    "add NOPE Title due 2027-Q1",
    "There is no working group NOPE that you can see.",
    "Example: /cmp add",
  ],
  ["sara", "add TIIWG Title due 2027-13", "is not a real date", "Example: 2018-Q1"],
  ["sara", "add TIIWG Title due 2027-02-30", "is not a real date", "Example: 2018-Q1"],
  [
    "sara",
    "add TIIWG Title due sometime soonish",
    "I could not read the timeline",
    "Example: 2018-Q1",
  ],
  ["sara", "add TIIWG Title due 2027-12..2027-06", "ends before it starts", "Example: 2018-Q1"],
  [
    "sara",
    `add TIIWG ${"x".repeat(201)}`,
    "The Title is too long: 201 characters, at most 200.",
    "Example: /cmp add",
  ],
  ["sara", "add TIIWG Title owner @nobody", "I don't know @nobody.", "Example: /cmp add"],
  [
    "sara",
    "update TIIWG-1 sideways",
    "I don't know the status “sideways”",
    "Example: /cmp update TIIWG-2 in-progress",
  ],
  ["sara", "update TIIWG-1 note", "The note is empty.", "Example: /cmp update TIIWG-2 note"],
  ["sara", "update", "“” is not a commitment ID", "Example: /cmp update"],
  ["sara", "done TIIWG-1 now please", "Usage: /cmp done ID", "Example: /cmp done TIIWG-2"],
  ["sara", "milestone TIIWG-1 done 7", "TIIWG-1 has no milestone “7”.", "Example: /cmp milestone"],
  ["sara", "milestone TIIWG-1 juggle", "Usage: /cmp milestone ID", "Example: /cmp milestone"],
  ["sara", "decide", "", ""],
  ["sara", "confirm TIIWG-1", "“TIIWG-1” is not a decision ID", "Example: /cmp confirm CCWG-D1"],
  ["sara", "confirm TIIWG-D9", "There is no decision TIIWG-D9.", "Example: /cmp decisions"],
  ["sara", "decisions", "Which working group?", "Example: /cmp decisions CCWG"],
  [
    "sara",
    "meeting TIIWG 2027-02-30 10:00",
    "I could not read the meeting time",
    "Example: /cmp meeting",
  ],
  [
    "sara",
    "meeting NOPE 2027-02-01 10:00",
    "There is no working group NOPE",
    "Example: /cmp meeting",
  ],
  ["sara", "lang de", "“de” is not a language I speak", "Example: /cmp lang es"],
  ["sara", "export NOPE", "There is no working group NOPE", "Example: /cmp export TIIWG"],
  [
    "admin",
    "bind",
    "Use this command in the channel you want to bind.",
    "Example: /cmp bind TIIWG",
  ],
  [
    "salvador",
    "agregar TIIWG Título plazo 2027-02-30",
    "no es una fecha válida",
    "Ejemplo: 2018-T1",
  ],
  ["chantal", "voir TIIWG-99", "L’engagement TIIWG-99 n’existe pas.", "Exemple\u202f: /cmp liste"],
];

describe("bad input", () => {
  it.each(cases)("%s: %s", async (who, command, message, example) => {
    const before = { audit: await h.changes(), items: await h.count("commitments") };
    const reply = await h.run(who, command);
    if (command === "decide") {
      // No text opens the form instead: nothing to refuse.
      expect(reply.kind).toBe("form");
      return;
    }
    expect(reply.kind).toBe("message");
    if (reply.kind !== "message") return;
    const text = reply.doc.blocks.map((b) => ("text" in b ? b.text : "")).join("\n");
    expect(text).toContain(message);
    expect(text).toContain(example);
    expect(reply.visibility).toBe("ephemeral");
    expect(text).not.toMatch(/\bat .*\.ts:\d+|Error:/);
    expect({ audit: await h.changes(), items: await h.count("commitments") }).toEqual(before);
  });

  it("an unexpected failure gives one friendly message, not a stack trace", async () => {
    await h.app.database.db.schema.dropTable("meeting_groups").execute();
    const reply = await h.say("sara", "status TIIWG");
    expect(reply).toBe(
      "Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell the secretariat.",
    );
  });
});
