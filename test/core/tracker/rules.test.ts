import { describe, expect, it } from "vitest";
import { confirmationState, sideConfirmed } from "../../../src/core/tracker/rules.js";
import type { Country, Decision } from "../../../src/core/tracker/types.js";

const by = (personId: number, country: Country | null) => ({
  personId,
  displayName: `Person ${personId}`,
  country,
  at: "2026-11-20T15:00:00.000Z",
});

function proposed(confirmations: Decision["confirmations"]) {
  return { status: "proposed" as const, confirmations };
}

describe("a decision's confirmation state, the one rule replies and the service share", () => {
  it("needs one co-chair of each country when the group asks for two", () => {
    const bilateral = { confirmationsRequired: 2 as const };
    expect(confirmationState(bilateral, proposed([]))).toEqual({ confirmed: false, awaiting: 2 });
    expect(confirmationState(bilateral, proposed([by(1, "CA"), by(2, "CA")]))).toEqual({
      confirmed: false,
      awaiting: 1,
    });
    expect(confirmationState(bilateral, proposed([by(1, "CA"), by(3, "MX")]))).toEqual({
      confirmed: true,
      awaiting: 0,
    });
  });

  it("counts a confirmation by someone of no known country toward neither side", () => {
    const state = confirmationState(
      { confirmationsRequired: 2 },
      proposed([by(1, "CA"), by(9, null)]),
    );
    expect(state).toEqual({ confirmed: false, awaiting: 1 });
  });

  it("takes the first co-chair's word when the group asks for one", () => {
    const single = { confirmationsRequired: 1 as const };
    expect(confirmationState(single, proposed([]))).toEqual({ confirmed: false, awaiting: 1 });
    expect(confirmationState(single, proposed([by(9, null)]))).toEqual({
      confirmed: true,
      awaiting: 0,
    });
  });

  it("knows when a person or their side already confirmed", () => {
    const decision = proposed([by(1, "CA"), by(9, null)]);
    expect(sideConfirmed(decision, 2, "CA")).toBe(true);
    expect(sideConfirmed(decision, 9, null)).toBe(true);
    expect(sideConfirmed(decision, 3, "MX")).toBe(false);
    expect(sideConfirmed(decision, 4, null)).toBe(false);
  });
});
