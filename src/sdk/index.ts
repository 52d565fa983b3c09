/** The plugin SDK: everything a Node-based plugin or agent needs, and nothing from the server. */
export { Agent, type AgentOptions, entitlementKey } from "./agent.js";
export { backoffDelayMs } from "./backoff.js";
export { isOlder, judgeDocument } from "./judge.js";
export { type Entitlement, LicenseClient, type LicenseClientOptions } from "./license-client.js";
export { FileStateStore, MemoryStateStore, type PluginState, type StateStore } from "./state-store.js";
export {
  followEndorsements,
  LicenseRejected,
  type RejectReason,
  type TrustedKeys,
  trustedKeysFrom,
  verifySignedLicense,
} from "./verify.js";
