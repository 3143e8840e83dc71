// The time-budget arithmetic of the peer cells (bench/peers/budget.ts):
// probe size, full-or-reduced plan, repetitions, linear extrapolation and the
// spread of a reduced set of directions. No clocks: inputs are given times.

import { describe, expect, it } from "vitest";
import { extraRepetitions, extrapolate, planSize, probeUnits, spreadIndices } from "../../bench/peers/budget.js";

describe("peer cell budget", () => {
  it("probes about 1 % of the work units, at least one", () => {
    expect(probeUnits(1)).toBe(1);
    expect(probeUnits(6)).toBe(1);
    expect(probeUnits(5000)).toBe(50);
    expect(probeUnits(100_001)).toBe(1001);
  });

  it("measures the full problem when the projection fits the budget", () => {
    // 50 of 5,000 steps in 0.2 s project to 20 s.
    expect(planSize(0.2, 50, 5000, 30)).toEqual({ units: 5000, extrapolated: false });
    expect(planSize(0.3, 50, 5000, 30)).toEqual({ units: 5000, extrapolated: false });
  });

  it("shrinks to a quarter of the budget and marks the cell extrapolated otherwise", () => {
    // 1,000 of 100,000 directions in 0.4 s: 0.4 ms each, 7.5 s buy 18,750.
    expect(planSize(0.4, 1000, 100_000, 30)).toEqual({ units: 18_750, extrapolated: true });
  });

  it("never shrinks below the probe nor reaches the full size when extrapolating", () => {
    expect(planSize(10, 50, 5000, 2)).toEqual({ units: 50, extrapolated: true });
    expect(planSize(31, 9999, 10_000, 30)).toEqual({ units: 9999, extrapolated: true });
  });

  it("measures a call over 5 s once, faster ones at least twice", () => {
    expect(extraRepetitions(5.1, 30)).toBe(0);
    expect(extraRepetitions(20, 30)).toBe(0);
    expect(extraRepetitions(4, 30)).toBe(1);
    expect(extraRepetitions(1.5, 2)).toBe(1);
    expect(extraRepetitions(2, 30)).toBe(3);
    expect(extraRepetitions(0.06, 30)).toBe(7);
  });

  it("extrapolates linearly in the work units", () => {
    expect(extrapolate(0.5, 100, 5000)).toBeCloseTo(25, 12);
    expect(extrapolate(2, 10, 10)).toBe(2);
  });

  it("spreads a reduced set of directions evenly and keeps all when not reduced", () => {
    expect(Array.from(spreadIndices(4, 10))).toEqual([0, 2, 5, 7]);
    expect(Array.from(spreadIndices(3, 3))).toEqual([0, 1, 2]);
    expect(Array.from(spreadIndices(5, 3))).toEqual([0, 1, 2]);
    const many = spreadIndices(250, 100_000);
    expect(new Set(many).size).toBe(250);
    expect(many[249]).toBeLessThan(100_000);
  });
});
