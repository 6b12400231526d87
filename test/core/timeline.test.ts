import { describe, expect, it } from "vitest";
import {
  isTentative,
  type ParseResult,
  parseTimeline,
  timelineDue,
} from "../../src/core/tracker/timeline.js";
import type { Period, Phase, Precision, Qualifier } from "../../src/core/tracker/types.js";

// Mid-November 2017, when the 2017 annual report was written.
const REFERENCE = "2017-11-15";

function parse(text: string, referenceDate = REFERENCE): ParseResult {
  return parseTimeline(text, { referenceDate });
}

function phasesOf(text: string, referenceDate = REFERENCE): Phase[] {
  const result = parse(text, referenceDate);
  if (!result.ok) throw new Error(`"${text}" → ${result.error} (${result.fragment ?? ""})`);
  return result.timeline.phases;
}

function onlyPhase(text: string, referenceDate = REFERENCE): Phase {
  const phases = phasesOf(text, referenceDate);
  expect(phases).toHaveLength(1);
  return phases[0] as Phase;
}

function period(precision: Precision, start: string, end: string, qualifier?: Qualifier): Period {
  return qualifier ? { precision, start, end, qualifier } : { precision, start, end };
}

const q1 = period("quarter", "2018-01-01", "2018-03-31");
const jan2018 = period("month", "2018-01-01", "2018-01-31");
const endOfJan2018 = period("month", "2018-01-21", "2018-01-31", "end");
const june2018 = period("month", "2018-06-01", "2018-06-30");
const dec2018 = period("month", "2018-12-01", "2018-12-31");
const dec31 = period("day", "2017-12-31", "2017-12-31");

describe("parseTimeline: single windows", () => {
  it("an ISO day is that day", () => {
    expect(onlyPhase("2018-01-31")).toEqual({
      until: period("day", "2018-01-31", "2018-01-31"),
      tentative: false,
    });
  });

  it("an ISO month covers the whole month", () => {
    expect(onlyPhase("2018-01").until).toEqual(jan2018);
  });

  it.each([
    "2018-Q1",
    "Q1 2018",
    "first quarter of 2018",
    "the first quarter of 2018",
    "primer trimestre de 2018",
    "1er trimestre 2018",
    "1.er trimestre de 2018",
    "premier trimestre 2018",
    "T1 2018",
  ])("a quarter stays a quarter: %s runs from 1 January to 31 March 2018", (text) => {
    expect(onlyPhase(text)).toEqual({ until: q1, tentative: false });
  });

  it("the fourth quarter ends on 31 December", () => {
    expect(onlyPhase("Q4 2018").until).toEqual(period("quarter", "2018-10-01", "2018-12-31"));
  });

  it.each([
    ["2018-H2", "2018-07-01", "2018-12-31"],
    ["H1 2018", "2018-01-01", "2018-06-30"],
    ["first half of 2018", "2018-01-01", "2018-06-30"],
    ["primer semestre de 2018", "2018-01-01", "2018-06-30"],
    ["premier semestre 2018", "2018-01-01", "2018-06-30"],
    ["second half of 2018", "2018-07-01", "2018-12-31"],
  ])("a half stays a half: %s runs from %s to %s", (text, start, end) => {
    expect(onlyPhase(text).until).toEqual(period("half", start, end));
  });

  it("a bare year is the whole year", () => {
    expect(onlyPhase("2018").until).toEqual(period("year", "2018-01-01", "2018-12-31"));
  });

  it.each(["January 2018", "enero de 2018", "janvier 2018", "Jan 2018", "Jan. 2018"])(
    "a month name with a year is that month: %s",
    (text) => {
      expect(onlyPhase(text).until).toEqual(jan2018);
    },
  );

  it.each([
    "December 31st 2017",
    "31 December 2017",
    "31 de diciembre de 2017",
    "31 décembre 2017",
    "Friday, 31 December 2017",
  ])("a day written out is that day: %s", (text) => {
    expect(onlyPhase(text)).toEqual({ until: dec31, tentative: false });
  });

  it("an American day with a comma is that day: Nov 30, 2018", () => {
    expect(onlyPhase("Nov 30, 2018").until).toEqual(period("day", "2018-11-30", "2018-11-30"));
  });

  it("29 February exists in leap years", () => {
    expect(onlyPhase("29 February 2020").until).toEqual(period("day", "2020-02-29", "2020-02-29"));
  });
});

describe("parseTimeline: end of, early, mid, late", () => {
  it.each([
    "end of January 2018",
    "no later than the end of January 2018",
    "by the end of January 2018",
    "finales de enero de 2018",
    "a finales de enero 2018",
    "fin janvier 2018",
    "fin de janvier 2018",
    "au plus tard fin janvier 2018",
    "a más tardar a finales de enero de 2018",
  ])("“%s” is the last third of January 2018, due on its last day", (text) => {
    expect(onlyPhase(text)).toEqual({ until: endOfJan2018, tentative: false });
  });

  it.each([
    "end of the calendar year",
    "end of the year",
    "by the end of the year",
    "fin de año",
    "fin de l'année",
    "fin de l’année",
    "prior to the end of the year",
    "antes de fin de año",
    "avant la fin de l'année",
  ])("“%s” is the last quarter of the reference date's year, due on 31 December", (text) => {
    expect(onlyPhase(text).until).toEqual(period("year", "2017-10-01", "2017-12-31", "end"));
    expect(onlyPhase(text, "2018-03-02").until).toEqual(
      period("year", "2018-10-01", "2018-12-31", "end"),
    );
  });

  it("“early 2018” is its first quarter", () => {
    expect(onlyPhase("early 2018").until).toEqual(
      period("year", "2018-01-01", "2018-03-31", "early"),
    );
  });

  it.each([
    "beginning of 2018",
    "the start of 2018",
    "a principios de 2018",
    "comienzos de 2018",
    "début 2018",
    "au début de 2018",
  ])("“%s” is the first quarter of 2018, kept as a beginning", (text) => {
    expect(onlyPhase(text).until).toEqual(period("year", "2018-01-01", "2018-03-31", "start"));
  });

  it.each([
    ["beginning of January 2018", "month", "2018-01-01", "2018-01-10"],
    ["principios de enero de 2018", "month", "2018-01-01", "2018-01-10"],
    ["début janvier 2018", "month", "2018-01-01", "2018-01-10"],
    ["beginning of Q2 2018", "quarter", "2018-04-01", "2018-04-30"],
    ["principios del segundo trimestre de 2018", "quarter", "2018-04-01", "2018-04-30"],
    ["début du deuxième trimestre 2018", "quarter", "2018-04-01", "2018-04-30"],
  ] as const)("“%s” is the first part of the period: %s %s – %s", (text, precision, start, end) => {
    expect(onlyPhase(text).until).toEqual(period(precision, start, end, "start"));
  });

  it.each([
    ["end of Q1 2018", "2018-03-01", "2018-03-31"],
    ["finales del primer trimestre de 2018", "2018-03-01", "2018-03-31"],
    ["fin du premier trimestre 2018", "2018-03-01", "2018-03-31"],
    ["end of H1 2018", "2018-05-01", "2018-06-30"],
  ])("“%s” is the last part of its quarter or half: %s – %s", (text, start, end) => {
    const until = onlyPhase(text).until;
    expect([until.start, until.end, until.qualifier]).toEqual([start, end, "end"]);
  });

  it.each(["mid 2018", "mid-2018", "mediados de 2018", "a mediados de 2018", "mi-2018"])(
    "“%s” is May to August 2018",
    (text) => {
      expect(onlyPhase(text).until).toEqual(period("year", "2018-05-01", "2018-08-31", "mid"));
    },
  );

  it.each(["late 2018", "finales de 2018", "fin 2018"])(
    "“%s” is the last quarter of 2018",
    (text) => {
      expect(onlyPhase(text).until).toEqual(period("year", "2018-10-01", "2018-12-31", "late"));
    },
  );

  it("“before” is read only ahead of an end of period: “before June” is not a window", () => {
    expect(parse("before June 2018")).toEqual({
      ok: false,
      error: "unrecognised",
      fragment: "before",
    });
    expect(parse("antes de junio de 2018")).toMatchObject({ ok: false, fragment: "antes de" });
  });

  it("early, mid and late narrow a month to its thirds", () => {
    expect(onlyPhase("early June 2018").until).toEqual(
      period("month", "2018-06-01", "2018-06-10", "early"),
    );
    expect(onlyPhase("mid-June 2018").until).toEqual(
      period("month", "2018-06-11", "2018-06-20", "mid"),
    );
    expect(onlyPhase("late June 2018").until).toEqual(
      period("month", "2018-06-21", "2018-06-30", "late"),
    );
  });
});

describe("parseTimeline: phrases without a year", () => {
  it.each([
    ["end of January", "2017-11-15", "2018"],
    ["fin janvier", "2017-11-15", "2018"],
    ["finales de enero", "2017-11-15", "2018"],
    ["end of January", "2018-01-20", "2018"],
    ["end of January", "2018-02-01", "2019"],
    ["fin janvier", "2018-12-31", "2019"],
  ])("“%s” on %s is the next January on or after that month: %s", (text, reference, year) => {
    expect(onlyPhase(text, reference).until).toEqual(
      period("month", `${year}-01-21`, `${year}-01-31`, "end"),
    );
  });

  it("a lone month name is its next occurrence", () => {
    expect(onlyPhase("May", "2017-11-15").until).toEqual(
      period("month", "2018-05-01", "2018-05-31"),
    );
    expect(onlyPhase("November", "2017-11-15").until).toEqual(
      period("month", "2017-11-01", "2017-11-30"),
    );
  });

  it("a day without a year is its next occurrence, today included", () => {
    expect(onlyPhase("15 November", "2017-11-15").until.end).toBe("2017-11-15");
    expect(onlyPhase("14 November", "2017-11-15").until.end).toBe("2018-11-14");
  });

  it("a quarter without a year is the next one not yet over", () => {
    expect(onlyPhase("Q1", "2017-11-15").until).toEqual(q1);
    expect(onlyPhase("Q4", "2017-11-15").until).toEqual(
      period("quarter", "2017-10-01", "2017-12-31"),
    );
  });

  it("this year, next year and the end of the month count from the reference date", () => {
    expect(onlyPhase("next year").until).toEqual(period("year", "2018-01-01", "2018-12-31"));
    expect(onlyPhase("l'année prochaine").until).toEqual(
      period("year", "2018-01-01", "2018-12-31"),
    );
    expect(onlyPhase("end of the month").until).toEqual(
      period("month", "2017-11-21", "2017-11-30", "end"),
    );
    expect(onlyPhase("fin de mes").until).toEqual(
      period("month", "2017-11-21", "2017-11-30", "end"),
    );
  });

  it("a month range without any year starts at the next occurrence and ends after it", () => {
    const phase = onlyPhase("June – December", "2018-08-01");
    expect(phase.from).toEqual(period("month", "2019-06-01", "2019-06-30"));
    expect(phase.until).toEqual(period("month", "2019-12-01", "2019-12-31"));
  });
});

describe("parseTimeline: ranges", () => {
  it.each([
    "2018-06..2018-12",
    "June–December 2018",
    "June-December 2018",
    "June - December 2018",
    "June to December 2018",
    "June 2018 - December 2018",
    "June 2018 to December 2018",
    "de junio a diciembre de 2018",
    "junio a diciembre 2018",
    "de juin à décembre 2018",
    "juin au décembre 2018",
    "from June to December 2018",
    "between June and December 2018",
    "entre junio y diciembre de 2018",
  ])("“%s” runs from June until December 2018", (text) => {
    expect(onlyPhase(text)).toEqual({ from: june2018, until: dec2018, tentative: false });
  });

  it("January-December 2018 is the whole of 2018 by months", () => {
    expect(onlyPhase("January-December 2018")).toEqual({
      from: jan2018,
      until: dec2018,
      tentative: false,
    });
  });

  it("Feb/March 2018 runs from February to March", () => {
    expect(onlyPhase("Feb/March 2018")).toEqual({
      from: period("month", "2018-02-01", "2018-02-28"),
      until: period("month", "2018-03-01", "2018-03-31"),
      tentative: false,
    });
  });

  it("“November -2017 - February 2018” runs from November 2017 until February 2018", () => {
    expect(onlyPhase("November -2017 - February 2018")).toEqual({
      from: period("month", "2017-11-01", "2017-11-30"),
      until: period("month", "2018-02-01", "2018-02-28"),
      tentative: false,
    });
  });

  it("December 2017 - November 2018 crosses the year", () => {
    expect(onlyPhase("December 2017 - November 2018")).toEqual({
      from: period("month", "2017-12-01", "2017-12-31"),
      until: period("month", "2018-11-01", "2018-11-30"),
      tentative: false,
    });
  });

  it("a start month after the end month belongs to the year before: November–February 2018", () => {
    expect(onlyPhase("November–February 2018").from).toEqual(
      period("month", "2017-11-01", "2017-11-30"),
    );
  });

  it("each end keeps its own precision: Q1–Q2 2018, 2018 - 2019", () => {
    expect(onlyPhase("Q1–Q2 2018")).toEqual({
      from: q1,
      until: period("quarter", "2018-04-01", "2018-06-30"),
      tentative: false,
    });
    expect(onlyPhase("2018 - 2019")).toEqual({
      from: period("year", "2018-01-01", "2018-12-31"),
      until: period("year", "2019-01-01", "2019-12-31"),
      tentative: false,
    });
  });

  it.each(["1-15 June 2018", "du 1er au 15 juin 2018", "del 1 al 15 de junio de 2018"])(
    "a day range sharing its month reads both days: %s",
    (text) => {
      expect(onlyPhase(text)).toEqual({
        from: period("day", "2018-06-01", "2018-06-01"),
        until: period("day", "2018-06-15", "2018-06-15"),
        tentative: false,
      });
    },
  );
});

describe("parseTimeline: to be confirmed", () => {
  it.each([
    "June 2018 (TBC)",
    "June 2018 TBC",
    "June 2018 tentative",
    "June 2018 (tentative)",
    "Tentative: June 2018",
    "junio de 2018 tentativo",
    "junio de 2018 por confirmar",
    "junio de 2018 (PC)",
    "juin 2018 à confirmer",
    "juin 2018 (à confirmer)",
    "juin 2018 provisoire",
    "July 2018 deadline, tentative",
  ])("“%s” is tentative", (text) => {
    const phase = onlyPhase(text);
    expect(phase.tentative).toBe(true);
    expect(phase.label).toBeUndefined();
  });

  it("June-December 2018 (TBC) is a tentative range", () => {
    expect(onlyPhase("June-December 2018 (TBC)")).toEqual({
      from: june2018,
      until: dec2018,
      tentative: true,
    });
  });

  it("PC outside brackets is a word, not a mark", () => {
    const phase = onlyPhase("June 2018 PC");
    expect(phase.tentative).toBe(false);
    expect(phase.label).toBe("PC");
  });
});

describe("parseTimeline: several phases (Annex A)", () => {
  it("Venture Capital Funds: two labelled tentative phases separated by ' - '", () => {
    const text =
      "January 2018 - May 2018 - Structuring Phase (tentative) June 2018 - December 2018 - Execution (tentative)";
    expect(phasesOf(text)).toEqual([
      {
        from: jan2018,
        until: period("month", "2018-05-01", "2018-05-31"),
        label: "Structuring Phase",
        tentative: true,
      },
      { from: june2018, until: dec2018, label: "Execution", tentative: true },
    ]);
  });

  it("phases separated by ';' take the labels written after their dates", () => {
    expect(
      phasesOf("January–May 2018 structuring (tentative); June–December 2018 execution"),
    ).toEqual([
      {
        from: jan2018,
        until: period("month", "2018-05-01", "2018-05-31"),
        label: "structuring",
        tentative: true,
      },
      { from: june2018, until: dec2018, label: "execution", tentative: false },
    ]);
  });

  it("Innovation Bridge: a dated agreement, then a tentative six-month phase", () => {
    const text =
      "December 31st 2017 - Formal Agreement Execution: February 2018 - August 2018 (6 months) - Tentative";
    expect(phasesOf(text)).toEqual([
      { until: dec31, label: "Formal Agreement Execution", tentative: false },
      {
        from: period("month", "2018-02-01", "2018-02-28"),
        until: period("month", "2018-08-01", "2018-08-31"),
        tentative: true,
      },
    ]);
  });

  it("Joint Ventures: three phases, labels with brackets and hyphens kept as written", () => {
    const text =
      "October 2017 - Private Sector linkage (APMA - CAMM - INA) November -2017 - February 2018 - Delegation Follow-up visits February - September 2018 - JV Structuring";
    expect(phasesOf(text)).toEqual([
      {
        until: period("month", "2017-10-01", "2017-10-31"),
        label: "Private Sector linkage (APMA - CAMM - INA)",
        tentative: false,
      },
      {
        from: period("month", "2017-11-01", "2017-11-30"),
        until: period("month", "2018-02-01", "2018-02-28"),
        label: "Delegation Follow-up visits",
        tentative: false,
      },
      {
        from: period("month", "2018-02-01", "2018-02-28"),
        until: period("month", "2018-09-01", "2018-09-30"),
        label: "JV Structuring",
        tentative: false,
      },
    ]);
  });

  it("labels written before their dates stay with those dates", () => {
    expect(phasesOf("Structuring: January–May 2018 (TBC); Execution: June–December 2018")).toEqual([
      {
        from: jan2018,
        until: period("month", "2018-05-01", "2018-05-31"),
        label: "Structuring",
        tentative: true,
      },
      { from: june2018, until: dec2018, label: "Execution", tentative: false },
    ]);
  });

  it("a label in brackets after the date loses its brackets", () => {
    expect(onlyPhase("June – December 2018 (Execution)").label).toBe("Execution");
  });
});

describe("parseTimeline: open phrases", () => {
  it.each([
    "medium term",
    "(medium term)",
    "ongoing",
    "TBD",
    "a mediano plazo",
    "à moyen terme",
    "en curso",
    "en cours",
    "long term",
  ])("“%s” is understood and carries no date", (text) => {
    expect(parse(text)).toEqual({ ok: true, timeline: { text, phases: [] } });
  });
});

describe("parseTimeline: what it refuses", () => {
  it("an empty text is empty", () => {
    expect(parse("")).toEqual({ ok: false, error: "empty" });
    expect(parse("   ")).toEqual({ ok: false, error: "empty" });
  });

  it("more than 200 characters is too long", () => {
    expect(parse(`Q1 2018 ${"x".repeat(193)}`)).toEqual({ ok: false, error: "too_long" });
    expect(parse(`Q1 2018 ${"x".repeat(192)}`).ok).toBe(true);
  });

  it.each([
    ["2018-02-30", "2018-02-30"],
    ["31 de febrero de 2018", "31 de febrero de 2018"],
    ["2018-Q5", "2018-Q5"],
    ["Q5 2018", "Q5 2018"],
    ["2018-13", "2018-13"],
    ["2018-02-29", "2018-02-29"],
    ["June 2018 - 31 June 2018", "31 June 2018"],
  ])("“%s” is an impossible date", (text, fragment) => {
    expect(parse(text)).toEqual({ ok: false, error: "impossible_date", fragment });
  });

  it.each(["December 2018 - January 2018", "2018-12..2018-06", "Q3 2018 - Q1 2018"])(
    "“%s” ends before it starts",
    (text) => {
      expect(parse(text)).toMatchObject({ ok: false, error: "reversed_range" });
    },
  );

  it.each([
    ["sometime soonish", "soonish"],
    ["Octber 2018", "Octber"],
    ["before June 2018", "before"],
    ["Execution may slip", "Execution"],
    ["05/06/2018", "05/06/2018"],
    ["blah", "blah"],
  ])("“%s” is not understood, and says which part", (text, fragment) => {
    expect(parse(text)).toEqual({ ok: false, error: "unrecognised", fragment });
  });

  it("never throws, whatever it is given", () => {
    const junk = [
      "((((",
      "-- ; --",
      "2018-",
      "Q",
      "de a au",
      "🙂 2018",
      "\u0000",
      "…",
      "1e",
      "0 June",
    ];
    for (const text of junk) expect(() => parse(text)).not.toThrow();
  });
});

describe("parseTimeline: the rest", () => {
  it("keeps the text as typed, trimmed", () => {
    const result = parse("  June–December 2018 (TBC) ");
    expect(result.ok && result.timeline.text).toBe("June–December 2018 (TBC)");
  });

  it("reads day phrases our rules do not know with chrono: next Friday, demain, el próximo viernes", () => {
    expect(onlyPhase("next Friday", "2018-01-15").until.end).toBe("2018-01-26");
    expect(onlyPhase("by Friday", "2018-01-15").until.end).toBe("2018-01-19");
    expect(onlyPhase("demain", "2018-01-15").until.end).toBe("2018-01-16");
    expect(onlyPhase("el próximo viernes (TBC)", "2018-01-15")).toEqual({
      until: period("day", "2018-01-26", "2018-01-26"),
      tentative: true,
    });
  });
});

describe("timelineDue and isTentative", () => {
  const timeline = (text: string) => {
    const result = parse(text);
    if (!result.ok) throw new Error(text);
    return result.timeline;
  };

  it("a quarter is due on its last day", () => {
    expect(timelineDue(timeline("Q1 2018"))).toBe("2018-03-31");
  });

  it("a timeline is due at the end of its latest phase", () => {
    expect(
      timelineDue(
        timeline("December 31st 2017 - Formal Agreement Execution: February 2018 - August 2018"),
      ),
    ).toBe("2018-08-31");
    expect(timelineDue(timeline("June 2018; 2018-03"))).toBe("2018-06-30");
  });

  it("“early 2018” is due at the end of March, “end of January” at the end of January", () => {
    expect(timelineDue(timeline("early 2018"))).toBe("2018-03-31");
    expect(timelineDue(timeline("end of January 2018"))).toBe("2018-01-31");
  });

  it("an open phrase has no due date", () => {
    expect(timelineDue(timeline("(medium term)"))).toBeNull();
  });

  it("a timeline is tentative when any phase is", () => {
    expect(isTentative(timeline("January–May 2018; June–December 2018 (TBC)"))).toBe(true);
    expect(isTentative(timeline("January–May 2018; June–December 2018"))).toBe(false);
    expect(isTentative(timeline("TBD"))).toBe(false);
  });
});

// Every timeline the two seed documents (the 2014 Joint Action Plan and the 2017 Annual Report)
// write, as written and as a Spanish or French reader writes it: the window a reader means.
describe("parseTimeline: the seed documents' timelines, in three languages", () => {
  const Q1 = ["quarter", "2018-01-01", "2018-03-31"];
  const cases: [string[], (string | undefined)[]][] = [
    [
      [
        "first trimester of 2018",
        "during the first trimester of 2018",
        "primer trimestre de 2018",
        "durante el primer trimestre de 2018",
        "premier trimestre 2018",
        "au cours du premier trimestre 2018",
      ],
      Q1,
    ],
    [
      [
        "in the first quarter of 2018",
        "en el primer trimestre de 2018",
        "au premier trimestre de 2018",
        "1st trimester 2018",
      ],
      Q1,
    ],
    [
      [
        "no later than the end of January 2018",
        "a más tardar a finales de enero de 2018",
        "au plus tard fin janvier 2018",
      ],
      ["month", "2018-01-21", "2018-01-31", "end"],
    ],
    [
      [
        "prior to the end of the year",
        "by the end of the calendar year",
        "antes del fin del año calendario",
        "d'ici la fin de l'année civile",
      ],
      ["year", "2017-10-01", "2017-12-31", "end"],
    ],
    [
      ["in early 2018", "early 2018"],
      ["year", "2018-01-01", "2018-03-31", "early"],
    ],
    [
      ["a principios de 2018", "au début de 2018", "début 2018"],
      ["year", "2018-01-01", "2018-03-31", "start"],
    ],
    [
      ["by early 2019", "early 2019"],
      ["year", "2019-01-01", "2019-03-31", "early"],
    ],
    [
      ["April 2018", "abril de 2018", "en avril 2018"],
      ["month", "2018-04-01", "2018-04-30"],
    ],
    [
      ["in May 2018", "en mayo de 2018", "en mai 2018"],
      ["month", "2018-05-01", "2018-05-31"],
    ],
    [
      ["in 2018", "starting in 2018", "a partir de 2018", "à partir de 2018", "d'ici 2018"],
      ["year", "2018-01-01", "2018-12-31"],
    ],
    [
      ["as of 2019", "a partir de 2019", "dès 2019"],
      ["year", "2019-01-01", "2019-12-31"],
    ],
    [
      ["December 31, 2016", "31 de diciembre de 2016", "31 décembre 2016"],
      ["day", "2016-12-31", "2016-12-31"],
    ],
  ];
  for (const [texts, [precision, start, end, qualifier]] of cases) {
    it.each(texts)(
      `“%s” is ${precision} ${start} – ${end}${qualifier ? ` (${qualifier})` : ""}`,
      (text) => {
        expect(onlyPhase(text).until).toEqual(
          period(precision as Precision, start as string, end as string, qualifier as Qualifier),
        );
      },
    );
  }

  it.each([
    "July 2018 deadline, tentative",
    "julio de 2018, fecha límite tentativa",
    "échéance juillet 2018, provisoire",
  ])("“%s” is July 2018, to be confirmed", (text) => {
    expect(onlyPhase(text)).toEqual({
      until: period("month", "2018-07-01", "2018-07-31"),
      tentative: true,
    });
  });

  it.each(["Feb/March 2018", "feb./marzo de 2018", "févr./mars 2018"])(
    "“%s” runs from February to March 2018",
    (text) => {
      expect(onlyPhase(text)).toEqual({
        from: period("month", "2018-02-01", "2018-02-28"),
        until: period("month", "2018-03-01", "2018-03-31"),
        tentative: false,
      });
    },
  );

  it.each([
    "November 23-24, 2017",
    "November 23 and 24, 2017",
    "23-24 de noviembre de 2017",
    "23 y 24 de noviembre de 2017",
    "23-24 novembre 2017",
    "les 23 et 24 novembre 2017",
  ])("the annual meeting's “%s” is two days", (text) => {
    expect(onlyPhase(text)).toEqual({
      from: period("day", "2017-11-23", "2017-11-23"),
      until: period("day", "2017-11-24", "2017-11-24"),
      tentative: false,
    });
  });

  it.each([
    ["June-December 2018 (TBC)", "2018-06", "2018-12"],
    ["junio-diciembre de 2018 (por confirmar)", "2018-06", "2018-12"],
    ["juin-décembre 2018 (à confirmer)", "2018-06", "2018-12"],
    ["January - November 2018 (TBC)", "2018-01", "2018-11"],
    ["enero - noviembre de 2018 (PC)", "2018-01", "2018-11"],
    ["janvier - novembre 2018 (à confirmer)", "2018-01", "2018-11"],
    ["January-December 2018 (TBC)", "2018-01", "2018-12"],
    ["December 2017 - November 2018 (TBC)", "2017-12", "2018-11"],
    ["diciembre de 2017 - noviembre de 2018 (PC)", "2017-12", "2018-11"],
    ["décembre 2017 - novembre 2018 (à confirmer)", "2017-12", "2018-11"],
  ])("Annex A's “%s” is a tentative range of months, %s to %s", (text, from, until) => {
    const phase = onlyPhase(text);
    expect([phase.from?.start.slice(0, 7), phase.until.start.slice(0, 7), phase.tentative]).toEqual(
      [from, until, true],
    );
  });

  it.each(["(medium term)", "(mediano plazo)", "(moyen terme)"])(
    "“%s” is understood and has no date",
    (text) => {
      expect(phasesOf(text)).toEqual([]);
    },
  );

  it.each(["PDAC 2018", "CMP 2018"])(
    "an event name with a year (“%s”) is not a timeline the bot reads",
    (text) => {
      expect(parse(text)).toMatchObject({ ok: false, error: "unrecognised" });
    },
  );
});
