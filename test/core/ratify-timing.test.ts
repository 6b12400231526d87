import { describe, expect, it } from "vitest";
import { missingCountries, nudgeMoments } from "../../src/core/schedule/ratify.js";

// When each side's co-chair is nudged about a decision logged late on Friday 13 November 2026:
// Monday 16 November is Mexico's Revolution Day, not a Canadian holiday.

const LOGGED = "2026-11-14T00:00:00.000Z"; // Friday 18:00 in Mexico City, 19:00 in Ottawa

describe("ratification nudges land in each co-chair's working hours", () => {
  it("waits for the Canadian co-chair's Monday morning in Ottawa, reminding two working days later", () => {
    expect(
      nudgeMoments(LOGGED, { personId: 1, country: "CA", timeZone: "America/Toronto" }, 2),
    ).toEqual({ first: "2026-11-16T14:00:00.000Z", reminder: "2026-11-18T14:00:00.000Z" });
  });

  it("skips the Mexican co-chair's holiday, nudging on Tuesday 09:00 in Mexico City", () => {
    expect(
      nudgeMoments(LOGGED, { personId: 2, country: "MX", timeZone: "America/Mexico_City" }, 2),
    ).toEqual({ first: "2026-11-17T15:00:00.000Z", reminder: "2026-11-19T15:00:00.000Z" });
  });

  it("nudges at once during working hours, and sends no reminder when reminders are off", () => {
    const tuesdayNoon = "2026-11-17T18:00:00.000Z"; // 12:00 in Mexico City
    expect(
      nudgeMoments(tuesdayNoon, { personId: 2, country: "MX", timeZone: "America/Mexico_City" }, 0),
    ).toEqual({ first: tuesdayNoon, reminder: null });
  });

  it("asks only the sides that have not confirmed", () => {
    const proposed = { status: "proposed" as const, confirmations: [] };
    expect(missingCountries(proposed, ["MX", "CA", "CA"], 2)).toEqual(["CA", "MX"]);
    const oneSide = {
      status: "proposed" as const,
      confirmations: [{ personId: 1, displayName: "Sara", country: "CA" as const, at: LOGGED }],
    };
    expect(missingCountries(oneSide, ["CA", "MX"], 2)).toEqual(["MX"]);
    expect(missingCountries(oneSide, ["CA", "MX"], 1)).toEqual([]);
    expect(missingCountries({ ...oneSide, status: "confirmed" }, ["CA", "MX"], 2)).toEqual([]);
  });
});
