import type { CheckInFeatures, CheckInStatus, ClientStatus } from "../contracts/types.js";

export interface CheckInDecision {
  status: CheckInStatus;
  tier: string;
  license_type: string | null;
  features: CheckInFeatures;
}

const ALL_OFF: CheckInFeatures = { firewall_rules: false, malware_signatures: false, threat_intel_sync: false };
const ALL_ON: CheckInFeatures = { firewall_rules: true, malware_signatures: true, threat_intel_sync: true };

/**
 * What a plugin is entitled to right now. Premium features are on only while licensed: a suspended client keeps
 * its license (and is told its type) but runs on the free tier until resumed; an unlicensed one is plain free.
 */
export function decideCheckIn(clientStatus: ClientStatus, licenseType: string | null): CheckInDecision {
  if (clientStatus === "suspended")
    return { status: "suspended", tier: "free", license_type: licenseType, features: { ...ALL_OFF } };
  if (licenseType === null) return { status: "unlicensed", tier: "free", license_type: null, features: { ...ALL_OFF } };
  return { status: "licensed", tier: licenseType, license_type: licenseType, features: { ...ALL_ON } };
}
