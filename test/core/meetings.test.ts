import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness } from "../support/harness.js";

// Meeting times nobody can misread: the zone the time was read in is always said, with the full
// date in both countries, and daylight-saving changes never shift a time silently.

const group = (code: string, timeZone: string) => ({
  code,
  names: { en: code, es: code, fr: code },
  timeZone,
  languages: ["en" as const, "es" as const],
  visibility: "partnership" as const,
  confirmationsRequired: 2 as const,
  coChairs: [
    { person: "chair", country: "CA" as const, sector: "public" as const },
    { person: "mxchair", country: "MX" as const, sector: "public" as const },
  ],
  members: [],
  channels: [],
  commitments: [],
  decisions: [],
  meetings: [],
});

const DATA: ImportFile = {
  people: [
    // No time zone known: the first group's is used.
    { key: "chair", name: "Casey Chair", language: "en", country: "CA" },
    {
      key: "mxchair",
      name: "Marisol Chair",
      language: "es",
      country: "MX",
      timeZone: "America/Mexico_City",
    },
  ],
  groups: [group("HCWG", "America/Toronto"), group("EWG", "America/Mexico_City")],
};

let h: Harness;
beforeEach(async () => {
  // Monday 1 March 2027, 10:00 in Ottawa.
  h = await createHarness({ data: DATA, now: "2027-03-01T15:00:00Z" });
});
afterEach(async () => {
  await h.close();
});

async function starts(): Promise<string[]> {
  const meetings = await h.app.store.meetings.upcoming(null, "2027-01-01T00:00:00Z", 50);
  return meetings.map((m) => m.startsAt);
}

describe("meeting: which zone a time is read in", () => {
  it("without a zone, the first group's, and the reply says so; with one, the same instant in either order", async () => {
    const first = await h.say("chair", "meeting HCWG EWG 2027-03-02 10:00 Joint call");
    expect(first).toContain("Read as 10:00, Ottawa time: HCWG's time zone");
    const second = await h.say("chair", "meeting EWG HCWG 2027-03-02 10:00 Ottawa Joint call");
    expect(second).toContain("Read as 10:00, Ottawa time: the zone you wrote.");
    const third = await h.say("chair", "meeting EWG HCWG 2027-03-02 10:00 Joint call");
    expect(third).toContain("Read as 10:00, Mexico City time: EWG's time zone");
    expect(await starts()).toEqual([
      "2027-03-02T15:00:00.000Z",
      "2027-03-02T15:00:00.000Z",
      "2027-03-02T16:00:00.000Z",
    ]);
  });

  it("the speaker's own zone comes before the group's", async () => {
    const reply = await h.say("mxchair", "reunión HCWG 2027-03-02 10:00");
    expect(reply).toContain("Leído como las 10:00, hora de Ciudad de México: su zona horaria");
    expect(await starts()).toEqual(["2027-03-02T16:00:00.000Z"]);
  });

  it("echoes the full date and time in the zone read and in both countries", async () => {
    const reply = await h.say("chair", "meeting HCWG 2027-03-02 10:00 CDMX");
    expect(reply).toContain("Tuesday, March 2, 2027 at 10:00 in Mexico City");
    expect(reply).toContain("Tuesday, March 2, 2027 at 11:00 in Ottawa");
  });
});

describe("meeting: times people type", () => {
  it.each([
    ["chair", "meeting HCWG tomorrow 10:00", "2027-03-02T15:00:00.000Z"],
    ["chair", "meeting HCWG next Tuesday 15:30 Ottawa", "2027-03-02T20:30:00.000Z"],
    ["mxchair", "reunión HCWG martes 10:00", "2027-03-02T16:00:00.000Z"],
    ["chair", "réunion HCWG mardi prochain 10 h", "2027-03-02T15:00:00.000Z"],
    [
      "mxchair",
      "reunion EWG el próximo martes a las 10:00 hora de Ottawa",
      "2027-03-02T15:00:00.000Z",
    ],
  ])("%s: %s", async (who, line, instant) => {
    await h.say(who, line);
    expect(await starts()).toEqual([instant]);
  });

  it("a French reply gives the full date in French", async () => {
    const reply = await h.say("chair", "réunion HCWG mardi prochain 10 h");
    expect(reply).toContain("mardi 2 mars 2027 à 10:00 à Ottawa");
    expect(reply).toContain("mardi 2 mars 2027 à 09:00 à Mexico");
  });
});

describe("meeting: daylight-saving changes", () => {
  it("a time the clocks skip is a question, and nothing is scheduled", async () => {
    const reply = await h.say("chair", "meeting HCWG 2027-03-14 02:30 Call");
    expect(reply).toContain(
      "02:30 does not exist on Mar 14, 2027 in Ottawa: clocks jump forward an hour that night. Did you mean 01:30 or 03:30?",
    );
    expect(await starts()).toEqual([]);
  });

  it("a time that happens twice is read as the first, and the reply says how to get the second", async () => {
    const reply = await h.say("chair", "meeting HCWG 2027-11-07 01:30 Call");
    expect(reply).toContain(
      "01:30 happens twice that night in Ottawa, as clocks go back: I took the first, 01:30 UTC-4. For the second, write 01:30 UTC-5.",
    );
    await h.say("chair", "meeting HCWG 2027-11-07 01:30 UTC-5 Call");
    expect(await starts()).toEqual(["2027-11-07T05:30:00.000Z", "2027-11-07T06:30:00.000Z"]);
  });

  it("a time it cannot read is refused with an example, and nothing is scheduled", async () => {
    const reply = await h.say("chair", "meeting HCWG someday soon");
    expect(reply).toContain("I could not read the meeting time “someday soon”");
    expect(reply).toContain("Example: /cmp meeting HCWG EWG 2026-12-15 10:00 Ottawa");
    expect(await starts()).toEqual([]);
  });
});
