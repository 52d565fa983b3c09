import { describe, expect, it } from "vitest";
import { decideCheckIn } from "./check-in-decision.js";

describe("decideCheckIn", () => {
  const on = { firewall_rules: true, malware_signatures: true, threat_intel_sync: true };
  const off = { firewall_rules: false, malware_signatures: false, threat_intel_sync: false };

  it.each([
    ["active", "premium", { status: "licensed", tier: "premium", license_type: "premium", features: on }],
    ["active", "business", { status: "licensed", tier: "business", license_type: "business", features: on }],
    ["active", null, { status: "unlicensed", tier: "free", license_type: null, features: off }],
    ["suspended", "premium", { status: "suspended", tier: "free", license_type: "premium", features: off }],
    ["suspended", null, { status: "suspended", tier: "free", license_type: null, features: off }],
  ] as const)("a %s client holding %s", (status, type, expected) => {
    expect(decideCheckIn(status, type)).toEqual(expected);
  });

  it("turns premium features on only while licensed", () => {
    for (const status of ["active", "suspended"] as const) {
      for (const type of ["premium", null]) {
        const d = decideCheckIn(status, type);
        expect(Object.values(d.features).every((v) => v === (d.status === "licensed"))).toBe(true);
      }
    }
  });

  it("hands out independent feature objects", () => {
    const a = decideCheckIn("active", "premium");
    a.features.firewall_rules = false;
    expect(decideCheckIn("active", "premium").features.firewall_rules).toBe(true);
  });
});
