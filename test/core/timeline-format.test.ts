import { readFileSync } from "node:fs";
import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { parseTimeline } from "../../src/core/tracker/timeline.js";
import {
  formatPeriod,
  formatTimeline,
  type Translate,
} from "../../src/core/tracker/timeline-format.js";
import type { Language, Period, Timeline } from "../../src/core/tracker/types.js";

const LANGS: Language[] = ["en", "es", "fr"];

function messages(lang: Language): Record<string, string> {
  const file = new URL(`../../locales/${lang}/timeline.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8"));
}

const t = {} as Record<Language, Translate>;

beforeAll(async () => {
  for (const lng of LANGS) {
    const i = i18next.createInstance();
    await i.init({
      lng,
      resources: { [lng]: { timeline: messages(lng) } },
      interpolation: { escapeValue: false },
    });
    t[lng] = i.t.bind(i);
  }
});

function timeline(text: string): Timeline {
  const result = parseTimeline(text, { referenceDate: "2017-11-15" });
  if (!result.ok) throw new Error(`"${text}" → ${result.error}`);
  return result.timeline;
}

/** What a reader of each language sees for a typed timeline. */
function shown(text: string): Record<Language, string> {
  const parsed = timeline(text);
  return {
    en: formatTimeline(parsed, "en", t.en),
    es: formatTimeline(parsed, "es", t.es),
    fr: formatTimeline(parsed, "fr", t.fr),
  };
}

describe("locales/*/timeline.json", () => {
  it("the three languages have the same keys, each a non-empty string", () => {
    const keys = Object.keys(messages("en")).sort();
    for (const lang of LANGS) {
      const entries = messages(lang);
      expect(Object.keys(entries).sort()).toEqual(keys);
      for (const value of Object.values(entries)) expect(value).toMatch(/\S/);
    }
  });
});

describe("formatTimeline keeps the precision that was typed", () => {
  it("a quarter stays a quarter", () => {
    expect(shown("2018-Q1")).toEqual({
      en: "Q1 2018",
      es: "1.er trimestre de 2018",
      fr: "T1 2018",
    });
    expect(shown("Q4 2018")).toEqual({ en: "Q4 2018", es: "4.º trimestre de 2018", fr: "T4 2018" });
  });

  it("a half stays a half", () => {
    expect(shown("2018-H2")).toEqual({
      en: "H2 2018",
      es: "2.º semestre de 2018",
      fr: "2e semestre 2018",
    });
    expect(shown("first half of 2018")).toEqual({
      en: "H1 2018",
      es: "1.er semestre de 2018",
      fr: "1er semestre 2018",
    });
  });

  it("a month shows its name in the reader's language", () => {
    expect(shown("2018-01")).toEqual({
      en: "January 2018",
      es: "enero de 2018",
      fr: "janvier 2018",
    });
  });

  it("a day shows the long date of the reader's language", () => {
    expect(shown("2018-01-31")).toEqual({
      en: "January 31, 2018",
      es: "31 de enero de 2018",
      fr: "31 janvier 2018",
    });
  });

  it("a year stays a year", () => {
    expect(shown("2018")).toEqual({ en: "2018", es: "2018", fr: "2018" });
  });

  it("“end of” is shown, not turned into a date", () => {
    expect(shown("finales de enero de 2018")).toEqual({
      en: "end of January 2018",
      es: "finales de enero de 2018",
      fr: "fin janvier 2018",
    });
    expect(shown("end of the calendar year")).toEqual({
      en: "end of 2017",
      es: "fin de 2017",
      fr: "fin de l’année 2017",
    });
    expect(shown("end of Q3 2018")).toEqual({
      en: "end of Q3 2018",
      es: "fin del 3.er trimestre de 2018",
      fr: "fin du T3 2018",
    });
  });

  it("beginning, early, mid and late are shown as such", () => {
    expect(shown("début 2018")).toEqual({
      en: "beginning of 2018",
      es: "principios de 2018",
      fr: "début 2018",
    });
    expect(shown("early 2018")).toEqual({
      en: "early 2018",
      es: "principios de 2018",
      fr: "début 2018",
    });
    expect(shown("mediados de 2018")).toEqual({
      en: "mid-2018",
      es: "mediados de 2018",
      fr: "mi-2018",
    });
    expect(shown("late 2018")).toEqual({ en: "late 2018", es: "finales de 2018", fr: "fin 2018" });
    expect(shown("mid-June 2018")).toEqual({
      en: "mid-June 2018",
      es: "mediados de junio de 2018",
      fr: "mi-juin 2018",
    });
  });
});

describe("formatTimeline: ranges and phases", () => {
  it("a range within one year names the year once", () => {
    expect(shown("June-December 2018")).toEqual({
      en: "June – December 2018",
      es: "junio – diciembre de 2018",
      fr: "juin – décembre 2018",
    });
  });

  it("a range across years names both years", () => {
    expect(shown("December 2017 - November 2018")).toEqual({
      en: "December 2017 – November 2018",
      es: "diciembre de 2017 – noviembre de 2018",
      fr: "décembre 2017 – novembre 2018",
    });
  });

  it("a tentative range says it is to be confirmed", () => {
    expect(shown("June-December 2018 (TBC)")).toEqual({
      en: "June – December 2018 (TBC)",
      es: "junio – diciembre de 2018 (por confirmar)",
      fr: "juin – décembre 2018 (à confirmer)",
    });
  });

  it("several phases are joined by '; ', each with its label and mark", () => {
    const text =
      "January 2018 - May 2018 - Structuring Phase (tentative) June 2018 - December 2018 - Execution (tentative)";
    expect(shown(text)).toEqual({
      en: "January – May 2018 (Structuring Phase) (TBC); June – December 2018 (Execution) (TBC)",
      es: "enero – mayo de 2018 (Structuring Phase) (por confirmar); junio – diciembre de 2018 (Execution) (por confirmar)",
      fr: "janvier – mai 2018 (Structuring Phase) (à confirmer); juin – décembre 2018 (Execution) (à confirmer)",
    });
    expect(
      shown(
        "December 31st 2017 - Formal Agreement Execution: February 2018 - August 2018 (6 months) - Tentative",
      ).en,
    ).toBe("December 31, 2017 (Formal Agreement Execution); February – August 2018 (TBC)");
  });

  it("a phrase the bot could not read shows as typed, marked as not understood", () => {
    const unread: Timeline = { text: "PDAC 2018", phases: [], unread: true };
    expect(formatTimeline(unread, "en", t.en)).toBe("“PDAC 2018” (not understood yet)");
    expect(formatTimeline(unread, "es", t.es)).toBe("«PDAC 2018» (aún sin interpretar)");
    expect(formatTimeline(unread, "fr", t.fr)).toBe("«\u202fPDAC 2018\u202f» (pas encore compris)");
  });

  it("a timeline without dates shows what was typed", () => {
    expect(shown("(medium term)")).toEqual({
      en: "(medium term)",
      es: "(medium term)",
      fr: "(medium term)",
    });
  });
});

describe("formatPeriod", () => {
  it("formats one window on its own", () => {
    const q1: Period = { precision: "quarter", start: "2018-01-01", end: "2018-03-31" };
    expect(formatPeriod(q1, "fr", t.fr)).toBe("T1 2018");
    const lateH2: Period = {
      precision: "half",
      start: "2018-11-01",
      end: "2018-12-31",
      qualifier: "late",
    };
    expect(formatPeriod(lateH2, "en", t.en)).toBe("late H2 2018");
  });
});

describe("what is shown reads back to the same timeline", () => {
  it.each([
    "2018-Q1",
    "2018-H2",
    "2018-01",
    "2018-01-31",
    "2018",
    "end of January 2018",
    "end of the year",
    "early 2018",
    "mid 2018",
    "late 2018",
    "end of Q3 2018",
    "early April 2018",
    "beginning of 2018",
    "end of Q1 2018",
    "first trimester of 2018",
    "November 23-24, 2017",
    "June-December 2018 (TBC)",
    "December 2017 - November 2018",
    "January 2018 - May 2018 - Structuring Phase (tentative) June 2018 - December 2018 - Execution (tentative)",
    "December 31st 2017 - Formal Agreement Execution: February 2018 - August 2018 (6 months) - Tentative",
  ])("%s, in every language", (text) => {
    // Spanish and French say "early" and "beginning of" with the same words, for the same window.
    const same = (phases: Timeline["phases"]) =>
      JSON.parse(JSON.stringify(phases).replaceAll('"qualifier":"early"', '"qualifier":"start"'));
    const phases = same(timeline(text).phases);
    for (const lang of LANGS) {
      expect({ lang, phases: same(timeline(shown(text)[lang]).phases) }).toEqual({ lang, phases });
    }
  });
});
